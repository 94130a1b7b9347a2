/**
 * Who has filed what: per district, per form, the number of filings and whether the district
 * declared it has nothing to file. Staff status, reminders and "my filings" read it.
 */
import type { District, EventData } from './event.js';
import type { Filing } from './filing.js';
import type { Declaration } from './records.js';

/** One form's state for one district. */
export interface FormStatus {
  formId: string;
  filed: number;
  declaredNone: boolean;
  /** Filed at least once, or declared "nothing to file". */
  done: boolean;
}

/** One district's state across every form of the event. */
export interface DistrictStatus {
  district: District;
  forms: FormStatus[];
}

/** Computes the status of every district from the submitted filings and the declarations. */
export function computeStatus(event: EventData, filings: readonly Filing[], declarations: readonly Declaration[]): DistrictStatus[] {
  const counts = new Map<string, number>();
  for (const filing of filings) {
    if (filing.status !== 'submitted' || filing.district === undefined || filing.eventId !== event.id) continue;
    const key = `${filing.district}\u0000${filing.formId}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const declared = new Set(declarations.filter((d) => d.eventId === event.id).map((d) => `${d.district}\u0000${d.formId}`));
  return event.districts.map((district) => ({
    district,
    forms: event.forms.map((form) => {
      const key = `${district.id}\u0000${form.id}`;
      const filed = counts.get(key) ?? 0;
      const declaredNone = declared.has(key);
      return { formId: form.id, filed, declaredNone, done: filed > 0 || declaredNone };
    }),
  }));
}
