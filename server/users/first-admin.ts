// On an empty database the app creates the first administrator, prints the generated password once
// in the log and forces a change at first sign-in. Several instances starting together race on the
// unique email index: exactly one creates the account, the others see it exists.
import { recordAudit } from '../audit/index.js';
import type { Logger } from '../platform/logger.js';
import type { ServiceContext } from '../platform/context.js';
import { inTransaction } from '../platform/db/transaction.js';
import { isDuplicateKeyError } from '../platform/errors.js';
import { foldVietnamese } from '../platform/text.js';
import { generatePassword, hashPassword } from './passwords.js';
import { UserModel } from './user.model.js';

export const FIRST_ADMIN_EMAIL = 'admin@dannguyen.local';

export async function ensureFirstAdmin(ctx: ServiceContext, logger: Logger): Promise<{ email: string; password: string } | null> {
  if ((await UserModel.estimatedDocumentCount()) > 0 || (await UserModel.exists({}))) return null;
  const password = generatePassword();
  const name = 'Quản trị hệ thống';
  try {
    await inTransaction(async (session) => {
      const [user] = await UserModel.create(
        [{ email: FIRST_ADMIN_EMAIL, name, nameFolded: foldVietnamese(name), role: 'admin', passwordHash: await hashPassword(password), mustChangePassword: true }],
        { session },
      );
      await recordAudit({ action: 'user.first-admin-created', at: ctx.clock.now(), target: { type: 'user', id: String(user!._id) } }, session);
    });
  } catch (err) {
    if (isDuplicateKeyError(err)) return null;
    throw err;
  }
  // The one place a password is logged: deliberately, once, so the installer can sign in.
  logger.warn(
    { email: FIRST_ADMIN_EMAIL, firstAdminPassword: password },
    `First administrator created — sign in as ${FIRST_ADMIN_EMAIL} with password ${password} (you must change it at first sign-in)`,
  );
  return { email: FIRST_ADMIN_EMAIL, password };
}
