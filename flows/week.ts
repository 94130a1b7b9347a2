/**
 * The check both dated forms share: a 举办时间 or 开放时间 outside the event's week is valid but
 * unusual, so the filer is told (and, for a single field, asked to confirm).
 */
import type { FieldContext, FieldWarning } from '../src/flow/define.js';
import { formatDateOrRange, type DateRange } from '../src/flow/parse/index.js';

/** The `warnings.outside_week` warning when any day of the range is outside the event's week. */
export function outsideWeek(value: DateRange, ctx: FieldContext): FieldWarning | undefined {
  const { start, end } = ctx.event.week;
  if (value.start >= start && value.end <= end) return undefined;
  return { key: 'warnings.outside_week', params: { week: formatDateOrRange({ start, end }, ctx.locale) } };
}
