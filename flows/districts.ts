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
  return [...ctx.event.districts, ...(ctx.event.filerKinds ?? [])].map((filer) => ({
    value: filer.id,
    label: filer.name[ctx.locale],
    aliases: [filer.name['zh-CN'], filer.name.en, ...filer.aliases],
  }));
}
