/**
 * The district choice shared by every form: options come from `data/` (the editable list of
 * 区（市、功能区）), so adding a functional zone is a data change.
 */
import type { FieldContext, FieldOption } from '../src/flow/define.js';

/** The districts of the event as choice options, labelled in the user's language. */
export function districtOptions(ctx: FieldContext): FieldOption[] {
  return ctx.event.districts.map((district) => ({
    value: district.id,
    label: district.name[ctx.locale],
    aliases: [district.name['zh-CN'], district.name.en, ...district.aliases],
  }));
}
