// The main navigation, by permission: each user sees only the places they may open.
import { can, type Permission } from './access/index.js';
import type { NavItem } from './platform/http/locals.js';

const ITEMS: readonly (NavItem & { needs?: Permission })[] = [
  { href: '/', key: 'nav.home' },
  { href: '/admin/users', key: 'nav.users', needs: 'users:manage' },
  { href: '/admin/audit', key: 'nav.audit', needs: 'audit:read' },
];

export function navFor(user: Express.User | undefined): NavItem[] {
  if (!user) return [];
  return ITEMS.filter((item) => !item.needs || can(user, item.needs)).map(({ href, key }) => ({ href, key }));
}
