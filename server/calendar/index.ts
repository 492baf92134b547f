export {
  addCalendarDays,
  addWorkingDays,
  computeDeadline,
  endOfVietnamDay,
  explainDeadline,
  formatIsoDate,
  isIsoDate,
  isWorkingDay,
  parseDateInput,
  vietnamDateOf,
  workingDaysBetween,
  MAX_DEADLINE_DAYS,
} from './working-days.rules.js';
export type { Deadline, DeadlineRule, DayType, IsoDate, WorkingCalendar } from './working-days.rules.js';
export { computeDeadlineFor, loadWorkingCalendar, seedCalendar } from './calendar.service.js';
export type { CalendarSeedResult } from './calendar.service.js';
export { deadlineSchemaDefinition } from './deadline.schema.js';
export { CalendarDayModel, SPECIAL_DAY_KINDS } from './calendar-day.model.js';
export type { CalendarDay } from './calendar-day.model.js';
export { calendarRouter } from './calendar.routes.js';
