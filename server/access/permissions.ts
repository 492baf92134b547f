// Who may do what. Roles map to permissions here, in code, so that a change of policy is a reviewed
// change; services check permissions (never roles), so later modules add permissions without
// touching the checks already written.

export const ROLES = ['admin', 'leader', 'officer', 'delegate'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'users:manage', // create, edit, disable users; reset passwords
  'audit:read', // read the audit log
  'reference:manage', // administrative units, fields, calendar, deadline rules, agencies
  'cases:read-all', // see every case, not only assigned ones
  'cases:write', // log visits and letters, classify, edit cases
  'cases:read-own', // see the cases one follows (delegates)
  'forwardings:approve', // approve and sign forwardings
  'reports:read', // statistics and statutory reports
  'view-denouncer-identity', // see who filed a denunciation (Luật Tố cáo 2018, Điều 9)
  'mail:read', // the email log of the whole office (each case's emails are on its page)
  'mail:manage', // send a test email, retry failed or unsent emails
  'supervision:conclude', // conclude a supervision round (đợt giám sát) with its conclusion
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: ['users:manage', 'audit:read', 'reference:manage', 'reports:read', 'mail:read', 'mail:manage'],
  leader: ['cases:read-all', 'cases:write', 'forwardings:approve', 'reports:read', 'view-denouncer-identity', 'audit:read', 'mail:read', 'supervision:conclude'],
  officer: ['cases:read-all', 'cases:write'],
  delegate: ['cases:read-own', 'reports:read'],
};

/** Roles that must sign in with a second factor (TOTP) as well as a password (QUALITY.md, ASVS 6.3). */
export const SECOND_FACTOR_ROLES: readonly Role[] = ['admin', 'leader'];

export function requiresSecondFactor(role: Role): boolean {
  return SECOND_FACTOR_ROLES.includes(role);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && (PERMISSIONS as readonly string[]).includes(value);
}

/**
 * A user's permissions: their role's, plus any granted individually (an officer handling
 * denunciations may be given `view-denouncer-identity` by name, without becoming a leader).
 */
export function permissionsOf(role: Role, granted: readonly string[] = []): Permission[] {
  const set = new Set<Permission>(ROLE_PERMISSIONS[role]);
  for (const p of granted) if (isPermission(p)) set.add(p);
  return [...set].sort();
}

export function can(actor: { permissions: readonly Permission[] } | null | undefined, permission: Permission): boolean {
  return !!actor && actor.permissions.includes(permission);
}
