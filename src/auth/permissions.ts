import { GatehouseError } from '../errors.ts';
import type { Role } from '../store/ports.ts';

export type { Role };

export const ROLES: readonly Role[] = ['agent', 'approver', 'admin', 'auditor'];

/**
 * decide            ask the Governor for a decision on a tool call (POST /api/v1/decide)
 * after_call        report a tool result for checks (POST /api/v1/after-call)
 * approvals.read_own read approvals requested by the key's own agent (to retry after escalation)
 * approvals.read    list and read every approval of the tenant
 * approvals.decide  approve or deny
 * ledger.read       query ledger entries, checkpoints and proofs
 * admin             manage keys, budgets and policy reloads
 */
export type Permission = 'decide' | 'after_call' | 'approvals.read_own' | 'approvals.read' | 'approvals.decide' | 'ledger.read' | 'admin';

export const PERMISSIONS: readonly Permission[] = [
  'decide',
  'after_call',
  'approvals.read_own',
  'approvals.read',
  'approvals.decide',
  'ledger.read',
  'admin',
];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  agent: ['decide', 'after_call', 'approvals.read_own'],
  approver: ['approvals.read_own', 'approvals.read', 'approvals.decide'],
  auditor: ['approvals.read_own', 'approvals.read', 'ledger.read'],
  admin: PERMISSIONS,
};

/** Who is calling, as established by authenticate(). */
export interface Principal {
  keyId: string;
  tenant: string;
  role: Role;
  /** Set for role 'agent' only: the one agent this key may act as. */
  agent: string | null;
  name: string;
}

/** What the principal wants to act on; every given field must match the principal's scope. */
export interface ResourceScope {
  tenant?: string;
  agent?: string;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Why `principal` may not do `permission` on `resource`, or null when it may. */
export function denialReason(principal: Principal, permission: Permission, resource: ResourceScope = {}): string | null {
  if (!ROLE_PERMISSIONS[principal.role].includes(permission)) return `role ${principal.role} does not have permission ${permission}`;
  if (resource.tenant !== undefined && resource.tenant !== principal.tenant) {
    return `key ${principal.keyId} belongs to tenant ${principal.tenant}, not ${resource.tenant}`;
  }
  // an agent key acts only as its own agent, and must say which agent the request is about
  if (principal.role === 'agent') {
    if (resource.agent === undefined) return `agent key ${principal.keyId} can only be checked against the agent it acts as`;
    if (resource.agent !== principal.agent) {
      return `agent key ${principal.keyId} may act only as agent ${principal.agent}, not ${resource.agent}`;
    }
  }
  return null;
}

export function can(principal: Principal, permission: Permission, resource: ResourceScope = {}): boolean {
  return denialReason(principal, permission, resource) === null;
}

/** Throws FORBIDDEN unless the principal may do `permission` on `resource`. */
export function authorize(principal: Principal, permission: Permission, resource: ResourceScope = {}): void {
  const reason = denialReason(principal, permission, resource);
  if (reason !== null) throw new GatehouseError('FORBIDDEN', reason);
}
