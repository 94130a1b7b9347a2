/**
 * The Chinese working calendar for reminders: weekends and official public holidays are off, and the
 * make-up working days (调休, e.g. Sunday 25 April 2021) are on. The data comes from the maintained
 * `chinese-days` package (official State Council schedules, 2004 onwards), never from a hand-made
 * list; for a year it does not know yet, it falls back to Monday–Friday.
 */
import chineseDays from 'chinese-days';
import { BotError } from '../kernel/errors.js';
import { addShanghaiDays, isIsoDate } from '../kernel/time.js';

/** How far back {@link previousWorkingDay} looks; the longest Chinese holiday is well under this. */
const MAX_LOOKBACK_DAYS = 60;

/**
 * The calendar date as a local-time Date at noon. `chinese-days` parses `YYYY-MM-DD` strings as UTC
 * midnight but reads them back with local getters, so west of UTC a string would be taken for the day
 * before; a local noon is the same calendar day in every machine time zone.
 */
function toLocalNoon(date: string): Date {
  if (!isIsoDate(date)) throw new BotError('date_invalid', `not a calendar date in the form YYYY-MM-DD: "${date}"`);
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const noon = new Date(2000, 0, 1, 12);
  noon.setFullYear(year, month - 1, day);
  return noon;
}

/** True when `date` (`YYYY-MM-DD`, a Shanghai calendar day) is a working day in China. */
export function isWorkingDay(date: string): boolean {
  return chineseDays.isWorkday(toLocalNoon(date));
}

/** The last working day strictly before `date`, so a reminder on a holiday can move to the day before it. */
export function previousWorkingDay(date: string): string {
  let day = date;
  for (let step = 0; step < MAX_LOOKBACK_DAYS; step += 1) {
    day = addShanghaiDays(day, -1);
    if (isWorkingDay(day)) return day;
  }
  throw new BotError('date_invalid', `no working day in the ${MAX_LOOKBACK_DAYS} days before ${date}`);
}
