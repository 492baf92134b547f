import { expect } from 'chai';
import { isCommonPassword } from '../../server/users/common-passwords.js';
import { passwordProblem } from '../../server/users/password-policy.rules.js';

describe('password policy', () => {
  const context = { email: 'lan.nguyen@hdnd.gov.vn', name: 'Nguyễn Thị Lan' };
  const table: [string, string | null][] = [
    ['short7c', 'users.password.tooShort'],
    ['        ', 'users.password.tooShort'],
    ['password', 'users.password.common'],
    ['12345678', 'users.password.common'],
    ['Matkhau123', 'users.password.common'],
    ['anhyeuem123', 'users.password.common'],
    ['lan.nguyen', 'users.password.likeAccount'],
    ['lan.nguyen@hdnd.gov.vn', 'users.password.likeAccount'],
    ['xin chào nguyễn thị lan', 'users.password.likeAccount'],
    ['x'.repeat(257), 'users.password.tooLong'],
    ['mậtkhẩu8', null], // 8 code points, Vietnamese letters count once each
    ['ngựa ô phi qua cầu tre', null],
    ['x'.repeat(256), null],
    ['Tr4m-Ch1m-Nh0', null],
  ];
  for (const [password, expected] of table) {
    it(`${JSON.stringify(password.slice(0, 30))} → ${expected ?? 'accepted'}`, () => {
      expect(passwordProblem(password, isCommonPassword, context)).to.equal(expected);
    });
  }

  it('has a large common-password list', () => {
    expect(isCommonPassword('qwerty')).to.equal(true);
    expect(isCommonPassword('iloveyou')).to.equal(true);
    expect(isCommonPassword('ngựa ô phi qua cầu tre')).to.equal(false);
  });
});
