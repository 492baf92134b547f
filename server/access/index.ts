export { ROLES, PERMISSIONS, ROLE_PERMISSIONS, SECOND_FACTOR_ROLES, permissionsOf, can, isRole, isPermission, requiresSecondFactor } from './permissions.js';
export type { Role, Permission } from './permissions.js';
export type { Actor } from './actor.js';
export { SYSTEM_ACTOR } from './actor.js';
export { assertCan, requirePermission } from './guard.js';
