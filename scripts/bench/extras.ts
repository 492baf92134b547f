// What the benchmark measures besides pages: the reminder scan over every open forwarding (run twice:
// the first run queues what is due today, the second finds every reminder already queued), the
// statistics of this month and of last year computed from scratch (this process keeps no figures),
// and the XLSX export of every case through the app, with the app's peak resident memory while it
// streams.
import { isWorkingDay, loadWorkingCalendar, vietnamDateOf } from '../../server/calendar/index.js';
import { permissionsOf, type Actor } from '../../server/access/index.js';
import { systemClock } from '../../server/platform/clock.js';
import { scanReminders } from '../../server/reminders/index.js';
import { computeStatistics } from '../../server/statistics/index.js';
import { monthPeriod, yearPeriod } from '../../server/statistics/period.rules.js';
import { rssMb } from './processes.js';

export interface ExtraEnv {
  appBase: string;
  cookie: string;
  appPid: number;
}

export interface ExtraMeasure {
  name: string;
  run(env: ExtraEnv): Promise<Record<string, number>>;
}

async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { seconds: (performance.now() - started) / 1000, result };
}

/** Samples a process's resident memory every 100 ms until stopped; returns the peak in MB. */
function samplePeak(pid: number): () => number {
  let peak = rssMb(pid) ?? 0;
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid) ?? 0)), 100);
  return () => {
    clearInterval(timer);
    return Math.max(peak, rssMb(pid) ?? 0);
  };
}

/** 10:00 in Vietnam on today or the last working day before it: the scan does nothing on days off. */
async function lastWorkingMorning(now: Date): Promise<Date> {
  const year = Number(vietnamDateOf(now).slice(0, 4));
  const calendar = await loadWorkingCalendar(year - 1, year);
  let day = vietnamDateOf(now);
  for (let back = 1; !isWorkingDay(day, calendar) && back < 30; back++) day = vietnamDateOf(new Date(now.getTime() - back * 86_400_000));
  return new Date(`${day}T10:00:00+07:00`);
}

export const EXTRA_MEASURES: ExtraMeasure[] = [
  {
    name: 'reminder scan',
    async run() {
      const at = await lastWorkingMorning(new Date());
      const first = await timed(() => scanReminders(at));
      const second = await timed(() => scanReminders(at));
      return {
        firstSeconds: first.seconds,
        considered: first.result.considered,
        queued: first.result.queued,
        already: first.result.already,
        withoutLink: first.result.withoutLink,
        failed: first.result.failed,
        secondSeconds: second.seconds,
        queuedAgain: second.result.queued,
      };
    },
  },
  {
    name: 'statistics from scratch',
    async run() {
      const reader: Actor = { id: '000000000000000000000000', email: 'extras@bench', name: 'bench', role: 'leader', permissions: permissionsOf('leader'), locale: 'vi', mustChangePassword: false, twoFactorEnabled: false };
      const now = new Date();
      const today = vietnamDateOf(now);
      const year = Number(today.slice(0, 4));
      const ctx = { clock: systemClock, ip: '127.0.0.1', requestId: 'bench-extras' };
      const month = await timed(() => computeStatistics(reader, { kind: 'fixed', period: monthPeriod(year, Number(today.slice(5, 7))) }, 'vi', ctx));
      const lastYear = await timed(() => computeStatistics(reader, { kind: 'fixed', period: yearPeriod(year - 1) }, 'vi', ctx));
      return { thisMonthSeconds: month.seconds, lastYearSeconds: lastYear.seconds, lastYearVisits: lastYear.result.figures.reception.totals.visits };
    },
  },
  {
    name: 'XLSX export of every case',
    async run(env) {
      const stop = samplePeak(env.appPid);
      const before = rssMb(env.appPid) ?? 0;
      const { seconds, result } = await timed(async () => {
        const res = await fetch(`${env.appBase}/cases/export.xlsx`, { headers: { cookie: env.cookie } });
        if (res.status !== 200 || !res.body) throw new Error(`the export answered ${res.status}`);
        let bytes = 0;
        const reader = res.body.getReader();
        for (let part = await reader.read(); !part.done; part = await reader.read()) bytes += part.value.byteLength;
        return bytes;
      });
      const peak = stop();
      return { seconds, megabytes: result / 2 ** 20, rssBeforeMb: before, peakRssMb: peak };
    },
  },
];
