import { expect } from 'chai';
import { ROLES, can, permissionsOf, type Permission, type Role } from '../../server/access/index.js';

describe('permissions by role', () => {
  const table: [Role, Permission, boolean][] = [
    ['admin', 'users:manage', true],
    ['admin', 'view-denouncer-identity', false],
    ['admin', 'cases:write', false],
    ['leader', 'view-denouncer-identity', true],
    ['leader', 'forwardings:approve', true],
    ['leader', 'users:manage', false],
    ['officer', 'cases:write', true],
    ['officer', 'view-denouncer-identity', false],
    ['officer', 'forwardings:approve', false],
    ['delegate', 'cases:read-own', true],
    ['delegate', 'cases:write', false],
    ['admin', 'mail:read', true],
    ['admin', 'mail:manage', true],
    ['leader', 'mail:read', true],
    ['leader', 'mail:manage', false],
    ['officer', 'mail:read', false],
    ['delegate', 'mail:read', false],
  ];
  for (const [role, permission, expected] of table) {
    it(`${role} ${expected ? 'may' : 'may not'} ${permission}`, () => {
      expect(can({ permissions: permissionsOf(role) }, permission)).to.equal(expected);
    });
  }

  it('adds individually granted permissions and ignores unknown ones', () => {
    const perms = permissionsOf('officer', ['view-denouncer-identity', 'fly']);
    expect(perms).to.include('view-denouncer-identity');
    expect(perms).to.not.include('fly');
  });

  it('gives every role at least one permission', () => {
    for (const role of ROLES) expect(permissionsOf(role)).to.not.be.empty;
  });

  it('refuses a missing actor', () => {
    expect(can(null, 'reports:read')).to.equal(false);
  });
});
