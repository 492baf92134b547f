// The actor every service receives: who is acting, with their effective permissions. Built from the
// user record on each request (never trusted from the session), and by scripts and jobs for
// themselves.
import type { Permission, Role } from './permissions.js';

export interface Actor {
  id: string;
  email: string;
  name: string;
  role: Role;
  permissions: Permission[];
  locale: 'vi' | 'en';
  mustChangePassword: boolean;
  /** An authenticator app is set up for this account. */
  twoFactorEnabled: boolean;
}

/** The actor for work done by the system itself (start-up, scheduled jobs, scripts). */
export const SYSTEM_ACTOR: Actor = {
  id: 'system',
  email: 'system@localhost',
  name: 'Hệ thống',
  role: 'admin',
  permissions: ['users:manage', 'audit:read', 'reference:manage'],
  locale: 'vi',
  mustChangePassword: false,
  twoFactorEnabled: false,
};
