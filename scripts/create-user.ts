// npm run create-user -- --email lan@hdnd.gov.vn --name "Nguyễn Thị Lan" --role officer
// Creates a staff account through the same service as the admin page and prints the temporary
// password once; the user must change it at first sign-in.
import { SYSTEM_ACTOR, isRole } from '../server/access/index.js';
import { systemClock } from '../server/platform/clock.js';
import { ValidationError } from '../server/platform/errors.js';
import { createUser } from '../server/users/index.js';
import { createUserSchema } from '../server/users/users.schemas.js';
import { parseArgs, startScript } from './bootstrap.js';

const USAGE = 'usage: npm run create-user -- --email EMAIL --name "FULL NAME" --role admin|leader|officer|delegate [--identity]';

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (!args.email || !args.name || !isRole(args.role)) {
    console.error(USAGE);
    return 2;
  }
  const parsed = createUserSchema.safeParse({ email: args.email, name: args.name, role: args.role, canViewDenouncerIdentity: args.identity ? 'on' : undefined });
  if (!parsed.success) {
    console.error(`invalid input: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return 2;
  }
  const { database } = await startScript();
  try {
    const { temporaryPassword } = await createUser(SYSTEM_ACTOR, parsed.data, { clock: systemClock });
    console.log(`created ${parsed.data.email} (${parsed.data.role}); temporary password: ${temporaryPassword}`);
    return 0;
  } catch (err) {
    if (err instanceof ValidationError) {
      console.error(`not created: ${Object.entries(err.fieldErrors).map(([f, k]) => `${f}: ${k}`).join('; ')}`);
      return 1;
    }
    throw err;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
