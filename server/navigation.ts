// The main navigation, by permission: each user sees only the places they may open.
import { can, type Permission } from './access/index.js';
import type { NavItem } from './platform/http/locals.js';

/** An item shows when the user has any one of the permissions in `needs`. */
const ITEMS: readonly (NavItem & { needs?: Permission | readonly Permission[] })[] = [
  { href: '/', key: 'nav.home' },
  { href: '/receptions', key: 'nav.receptions', needs: ['cases:read-all', 'cases:read-own'] },
  { href: '/letters', key: 'nav.letters', needs: ['cases:read-all', 'cases:read-own'] },
  { href: '/cases', key: 'nav.cases', needs: ['cases:read-all', 'cases:read-own'] },
  { href: '/queues', key: 'queues.nav', needs: ['cases:read-all', 'cases:read-own'] },
  { href: '/forwardings', key: 'forwarding.nav', needs: ['cases:read-all', 'cases:read-own'] },
  { href: '/meetings', key: 'meetings.nav', needs: ['cases:read-all', 'cases:read-own'] },
  { href: '/supervision', key: 'supervision.nav', needs: ['cases:read-all', 'cases:read-own'] },
  { href: '/people', key: 'nav.people', needs: 'cases:write' },
  { href: '/statistics', key: 'statistics.nav', needs: 'reports:read' },
  { href: '/admin/units', key: 'reference.nav', needs: 'reference:manage' },
  { href: '/admin/users', key: 'nav.users', needs: 'users:manage' },
  { href: '/admin/emails', key: 'notifications.nav', needs: 'mail:read' },
  { href: '/admin/audit', key: 'nav.audit', needs: 'audit:read' },
];

export function navFor(user: Express.User | undefined): NavItem[] {
  if (!user) return [];
  const allowed = (needs: Permission | readonly Permission[] | undefined) =>
    !needs || (typeof needs === 'string' ? [needs] : needs).some((p) => can(user, p));
  return ITEMS.filter((item) => allowed(item.needs)).map(({ href, key }) => ({ href, key }));
}
