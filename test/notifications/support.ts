// Helpers for the notifications tests: settings for a sender pointed at a test SMTP peer, a case to
// attach emails to, and an actor for a test user.
import mongoose from 'mongoose';
import type { Actor } from '../../server/access/index.js';
import { openCase } from '../../server/cases/index.js';
import { configureNotifications } from '../../server/notifications/index.js';
import { OutboxMessageModel, type OutboxMessage } from '../../server/notifications/outbox.model.js';
import type { Clock } from '../../server/platform/clock.js';
import { systemClock } from '../../server/platform/clock.js';
import type { Config } from '../../server/platform/config.js';
import { inTransaction } from '../../server/platform/db/transaction.js';
import { createLogger } from '../../server/platform/logger.js';
import { loadActor } from '../../server/users/index.js';
import { testConfig, testTranslator } from '../support/app.js';
import type { TestUser } from '../support/factories.js';

export const TEST_BASE_URL = 'https://dannguyen.test.gov.vn';

/** Test settings: mail always allowed, quick retries, a short lease; override what a test needs. */
export function mailConfig(overrides: Record<string, string> = {}): Config {
  return testConfig({
    BASE_URL: TEST_BASE_URL,
    MAIL_FROM: 'Văn phòng Đoàn ĐBQH và HĐND tỉnh <vanphong@dannguyen.test.gov.vn>',
    OFFICE_NAME: 'Văn phòng Đoàn ĐBQH và HĐND tỉnh Quảng Trị',
    OFFICE_CONTACT: 'Số 1 Hùng Vương, Đông Hà · ĐT 0233 3852 000 · vanphong@dannguyen.test.gov.vn',
    MAIL_WINDOW: 'always',
    MAIL_RETRY_BASE_SECONDS: '60',
    MAIL_RETRY_MAX_SECONDS: '600',
    MAIL_MAX_ATTEMPTS: '4',
    MAIL_LEASE_SECONDS: '30',
    ...overrides,
  });
}

/** Makes emails render with these settings (as main.ts does with the real ones). */
export function useMailSettings(config: Config): void {
  configureNotifications({ config, translator: testTranslator() });
}

export const silentLogger = createLogger('silent');

export async function actorOf(user: TestUser): Promise<Actor> {
  const actor = await loadActor(user.id);
  if (!actor) throw new Error(`no actor for ${user.email}`);
  return actor;
}

export async function createCase(actor: Actor, clock: Clock = systemClock): Promise<{ id: string; number: string }> {
  const kase = await inTransaction((session) =>
    openCase(
      actor,
      {
        type: 'petition',
        fieldCode: null,
        unitCode: null,
        summary: 'Kiến nghị sửa chữa đường liên thôn bị sạt lở sau mưa lũ',
        receivedAt: clock.now(),
        parties: [],
        source: 'letter',
      },
      { clock },
      session,
    ),
  );
  return { id: String(kase._id), number: kase.number };
}

export async function messageByKey(key: string): Promise<OutboxMessage> {
  const message = await OutboxMessageModel.findOne({ key }).lean<OutboxMessage>();
  if (!message) throw new Error(`no message ${key}`);
  return message;
}

/** Polls until `check` is true (the database is shared with other processes in some tests). */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const objectId = (id: string) => new mongoose.Types.ObjectId(id);
