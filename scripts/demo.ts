// npm run demo — loads a small, realistic demo data set. Safe to run again: accounts are matched by
// email and reset to the documented passwords. Later modules add their demo data here.
import { trusted } from 'mongoose';
import { systemClock } from '../server/platform/clock.js';
import { foldVietnamese } from '../server/platform/text.js';
import { UserModel, hashPassword, toActor } from '../server/users/index.js';
import { ReceptionModel } from '../server/receptions/index.js';
import { seedBaseData } from '../server/seed.js';
import { seedDemoIntake } from './demo/intake.js';
import { seedDemoLetters } from './demo/letters.js';
import { seedDemoForwardings } from './demo/forwardings.js';
import { ForwardingModel } from '../server/forwarding/index.js';
import { seedDemoMeetings } from './demo/meetings.js';
import { SeededRandom } from './demo/random.js';
import { startScript } from './bootstrap.js';
import type { Role } from '../server/access/index.js';

/** Documented in the README: demo accounts only, never for a real office. */
export const DEMO_USERS: { email: string; name: string; role: Role; password: string; identity?: boolean }[] = [
  { email: 'quantri@demo.dannguyen.vn', name: 'Trịnh Minh Quân', role: 'admin', password: 'demo-quan-tri-2026' },
  { email: 'lanhdao@demo.dannguyen.vn', name: 'Hoàng Thị Thu Hà', role: 'leader', password: 'demo-lanh-dao-2026' },
  { email: 'chuyenvien@demo.dannguyen.vn', name: 'Nguyễn Văn Bình', role: 'officer', password: 'demo-chuyen-vien-2026' },
  { email: 'chuyenvien2@demo.dannguyen.vn', name: 'Lê Thị Mỹ Duyên', role: 'officer', password: 'demo-chuyen-vien-2026', identity: true },
  { email: 'daibieu@demo.dannguyen.vn', name: 'Phạm Quốc Đạt', role: 'delegate', password: 'demo-dai-bieu-2026' },
];

async function main(): Promise<void> {
  const { database, logger } = await startScript();
  try {
    for (const user of DEMO_USERS) {
      await UserModel.updateOne(
        { email: user.email },
        {
          $set: {
            name: user.name,
            nameFolded: foldVietnamese(user.name),
            role: user.role,
            grantedPermissions: user.identity ? ['view-denouncer-identity'] : [],
            passwordHash: await hashPassword(user.password),
            mustChangePassword: false,
            disabled: false,
          },
        },
        { upsert: true },
      );
    }
    logger.info({ users: DEMO_USERS.length }, 'demo accounts ready (see README for their passwords)');

    await seedBaseData(systemClock);
    // The intake data set is added once; running the demo again keeps it (and what you changed).
    if ((await ReceptionModel.estimatedDocumentCount()) === 0) {
      const users = await UserModel.find({ email: trusted({ $in: DEMO_USERS.map((u) => u.email) }) }).lean();
      const actors = users.map((u) => toActor(u));
      const officers = actors.filter((a) => a.role === 'officer');
      const hosts = actors.filter((a) => a.role === 'leader' || a.role === 'delegate');
      const rng = new SeededRandom(20260101);
      const counts = await seedDemoIntake({ officers, hosts, rng, clock: systemClock, visits: 400 });
      const letters = await seedDemoLetters({ officers, rng, clock: systemClock, letters: 200 });
      logger.info({ ...counts, letters }, 'demo visits, letters and cases loaded');
    }
    // Forwardings of the older cases, once (on a database without forwardings).
    if ((await ForwardingModel.estimatedDocumentCount()) === 0) {
      const staff = (await UserModel.find({ email: trusted({ $in: DEMO_USERS.map((u) => u.email) }) }).lean()).map((u) => toActor(u));
      const forwardings = await seedDemoForwardings({ officer: staff.find((a) => a.role === 'officer')!, leader: staff.find((a) => a.role === 'leader')!, rng: new SeededRandom(20260315), now: systemClock.now(), count: 90 });
      logger.info(forwardings, 'demo forwardings loaded');
    }
    // Voter meetings are added once too (on a database without sessions).
    const demoActors = (await UserModel.find({ email: trusted({ $in: DEMO_USERS.map((u) => u.email) }) }).lean()).map((u) => toActor(u));
    const meetings = await seedDemoMeetings({ officer: demoActors.find((a) => a.role === 'officer')!, delegateUserId: demoActors.find((a) => a.role === 'delegate')?.id ?? null, rng: new SeededRandom(20260707), clock: systemClock });
    logger.info(meetings, 'demo voter meetings loaded');
  } finally {
    await database.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
