/**
 * The district choice shared by every form: options come from `data/` (the editable list of
 * 区（市、功能区）), so adding a functional zone is a data change.
 */
import type { FieldContext, FieldOption } from '../src/flow/define.js';

/**
 * Who files, as choice options: the districts of the event, then the other kinds of filer (city
 * departments, universities, institutes), labelled in the user's language.
 */
export function districtOptions(ctx: FieldContext): FieldOption[] {
  // Asked on every answer to the field and every summary: built once per event and language.
  const byLocale = built.get(ctx.event) ?? new Map<string, FieldOption[]>();
  built.set(ctx.event, byLocale);
  const cached = byLocale.get(ctx.locale);
  if (cached !== undefined) return cached;
  const options = [...ctx.event.districts, ...(ctx.event.filerKinds ?? [])].map((filer) =>
    Object.freeze({
      value: filer.id,
      label: filer.name[ctx.locale],
      aliases: Object.freeze([filer.name['zh-CN'], filer.name.en, ...filer.aliases]),
    }),
  );
  // Shared by every caller: frozen, so a caller that changed it would fail loudly instead of quietly.
  Object.freeze(options);
  byLocale.set(ctx.locale, options);
  return options;
}

const built = new WeakMap<FieldContext['event'], Map<string, FieldOption[]>>();
