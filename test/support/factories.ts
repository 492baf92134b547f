// Test data, created per test through the same model the app uses.
import crypto from 'node:crypto';
import { generateSecret } from 'otplib';
import { requiresSecondFactor, type Role } from '../../server/access/index.js';
import { foldVietnamese } from '../../server/platform/text.js';
import { UserModel, hashPassword } from '../../server/users/index.js';

export const DEFAULT_TEST_PASSWORD = 'một câu mật khẩu dài 2026';

export interface TestUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  password: string;
  /** The authenticator secret when the account has a second factor. */
  totpSecret: string | null;
}

export interface TestUserOptions {
  email: string;
  name: string;
  role: Role;
  password: string;
  mustChangePassword: boolean;
  disabled: boolean;
  grantedPermissions: string[];
  /** Defaults to what the role requires (admins and leaders have a second factor). */
  twoFactor: boolean;
}

export async function createTestUser(overrides: Partial<TestUserOptions> = {}): Promise<TestUser> {
  const role = overrides.role ?? 'officer';
  const email = overrides.email ?? `${role}-${crypto.randomBytes(4).toString('hex')}@test.dannguyen.vn`;
  const name = overrides.name ?? `Nguyễn Văn ${role === 'admin' ? 'Quản' : 'Thử'}`;
  const password = overrides.password ?? DEFAULT_TEST_PASSWORD;
  const totpSecret = (overrides.twoFactor ?? requiresSecondFactor(role)) ? generateSecret() : null;
  const user = await UserModel.create({
    email,
    name,
    nameFolded: foldVietnamese(name),
    role,
    passwordHash: await hashPassword(password),
    mustChangePassword: overrides.mustChangePassword ?? false,
    disabled: overrides.disabled ?? false,
    grantedPermissions: overrides.grantedPermissions ?? [],
    totpSecret,
    totpEnabledAt: totpSecret ? new Date() : null,
  });
  return { id: String(user._id), email, name, role, password, totpSecret };
}
