import { can, type Permission, type Principal } from '../auth/index.ts';

export type { Permission, Principal };

/** How the server resolves and checks callers; ApiKeyService + the role table in src/auth. */
export interface Authenticator {
  /** Resolves the principal, or throws UNAUTHORIZED. */
  authenticate(token: string): Promise<Principal>;
  can(principal: Principal, permission: Permission): boolean;
}

export function apiKeyAuthenticator(service: { authenticate(token: string): Promise<Principal> }): Authenticator {
  // routes check tenant and agent ownership themselves; here only the role table applies
  return {
    authenticate: (token) => service.authenticate(token),
    can: (principal, permission) => can(principal, permission, principal.role === 'agent' ? { agent: principal.agent ?? '' } : {}),
  };
}

/** Keys of the tenant "*" belong to the deployment operator and see every tenant. */
export function sameTenant(principal: Principal, tenant: string): boolean {
  return principal.tenant === '*' || principal.tenant === tenant;
}
