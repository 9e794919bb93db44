export { ApiKeyService, parseToken, publicKey, type ApiKey, type CreateKeyInput } from './keys.ts';
export {
  authorize,
  can,
  denialReason,
  isRole,
  PERMISSIONS,
  ROLE_PERMISSIONS,
  ROLES,
  type Permission,
  type Principal,
  type ResourceScope,
  type Role,
} from './permissions.ts';
