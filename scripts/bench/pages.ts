// What the benchmark measures. Each page names its requests (the same URLs go to the app and to the
// baseline server, which does the same database work without the HTTP stack) and its targets: list,
// search and detail pages p95 ≤ 100 ms, the dashboard and statistics ≤ 300 ms, every page at least half
// its baseline's throughput. Work that is not a page is measured in bench/extras.ts.
import type { Targets } from './report.js';

export interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  /** Statuses that count as a correct answer from the app. */
  expect: number[];
}

export interface BenchFixtures {
  caseIds: string[];
  searches: string[];
  filters: string[];
  csrf: string;
  communes: string[];
  fields: string[];
  /** Tokens of open forwardings' links (derived from the seed, see scripts/seed/forwardings.ts). */
  agencyTokens: string[];
}

export interface BenchPage {
  name: string;
  targets: Targets;
  /** Requested without the signed-in officer's cookie (the agency's link). */
  anonymous?: boolean;
  /** The i-th request (requests rotate through ids, searches and filters). */
  request(i: number, fx: BenchFixtures): BenchRequest;
}

const LIST: Targets = { minRatio: 0.5, maxP95: 100 };
const REPORT: Targets = { minRatio: 0.5, maxP95: 300 };
const get = (path: string): BenchRequest => ({ method: 'GET', path, expect: [200] });

let submitted = 0;
/** A structurally valid CCCD no other submission of this run used (prefix 079, born 1990). */
function benchCitizenId(): string {
  return `079090${String((Date.now() % 100_000) * 10 + (submitted++ % 10)).padStart(6, '0').slice(-6)}`;
}

function vietnamNow(): { date: string; time: string } {
  const iso = new Date(Date.now() + 7 * 3_600_000 - 60_000).toISOString();
  return { date: `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`, time: iso.slice(11, 16) };
}

export const PAGES: BenchPage[] = [
  { name: 'home (work queues)', targets: REPORT, request: () => get('/') },
  { name: 'case list', targets: LIST, request: () => get('/cases') },
  { name: 'case list, filtered', targets: LIST, request: (i, fx) => get(`/cases?${fx.filters[i % fx.filters.length]}`) },
  { name: 'search', targets: LIST, request: (i, fx) => get(`/cases?q=${encodeURIComponent(fx.searches[i % fx.searches.length]!)}`) },
  { name: 'case detail', targets: LIST, request: (i, fx) => get(`/cases/${fx.caseIds[i % fx.caseIds.length]}`) },
  { name: 'reception register', targets: LIST, request: () => get('/receptions') },
  { name: 'letter register', targets: LIST, request: () => get('/letters') },
  { name: 'forwarding list', targets: LIST, request: () => get('/forwardings') },
  { name: 'statistics, this month', targets: REPORT, request: () => get('/statistics') },
  { name: 'statistics, last year', targets: REPORT, request: () => get(`/statistics?period=year&year=${new Date().getUTCFullYear() - 1}`) },
  { name: 'agency performance, last year', targets: REPORT, request: () => get(`/statistics/agencies?period=year&year=${new Date().getUTCFullYear() - 1}`) },
  { name: 'agency link page', targets: LIST, anonymous: true, request: (i, fx) => get(`/a/${fx.agencyTokens[i % fx.agencyTokens.length]!}`) },
  {
    name: 'intake POST',
    targets: { minRatio: 0.5, maxP95: 300 },
    request: (i, fx) => {
      const key = `${process.pid.toString(16).padStart(8, '0')}${Date.now().toString(16).padStart(12, '0')}${i.toString(16).padStart(12, '0')}`.slice(-32);
      const { date, time } = vietnamNow();
      const body = new URLSearchParams({
        _csrf: fx.csrf,
        submissionKey: key,
        date,
        time,
        kind: 'routine',
        host: '',
        name: 'Nguyễn Văn Thử Tải',
        citizenId: benchCitizenId(),
        phone: '',
        email: '',
        unitCode: fx.communes[i % fx.communes.length]!,
        street: 'Thôn 1',
        peopleCount: '1',
        personChoice: 'new',
        caseChoice: 'new',
        type: 'petition',
        fieldCode: fx.fields[i % fx.fields.length]!,
        content: 'Kiến nghị sửa chữa tuyến đường liên thôn bị sạt lở (yêu cầu đo tải)',
        previouslyHandledBy: '',
        outcome: 'letter-accepted',
        notes: '',
      });
      return { method: 'POST', path: '/receptions', body: body.toString(), expect: [303] };
    },
  },
];
