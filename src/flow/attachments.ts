/**
 * File fields (photos of exhibits, the summary report document, its video): what a flow accepts
 * (kinds, types, size, count, video length) and the check of each file a user sends. A file is
 * refused with its reason and the limit named; accepted files are kept as plain JSON.
 *
 * What a platform says of a file is read with care: metadata of the wrong type (a size that is
 * `null`, a name that is a number) is dropped and the file taken without it; a file without a usable
 * reference is refused on its own. Files already kept are read one by one, so one damaged entry never
 * costs the others.
 */
import { z } from 'zod';
import type { InboundAttachment } from '../domain/inbound.js';
import type { JsonValue } from '../kernel/json.js';
import type { FieldContext, FieldSpec } from './define.js';
import { fail, ok, type ParseResult } from './parse/index.js';
import { asCount, asString, isRecord } from '../kernel/json.js';

/** A stored file: the platform reference and what is known of it. */
export const storedFileSchema = z.object({
  kind: z.enum(['photo', 'document', 'video', 'audio', 'other']),
  fileRef: z.string(),
  uniqueId: z.string().optional(),
  name: z.string().optional(),
  mime: z.string().optional(),
  sizeBytes: z.number().optional(),
  durationSeconds: z.number().optional(),
  /** The platform gave no duration: staff check the length by hand. */
  durationUnchecked: z.boolean().optional(),
});

/** One stored file. */
export type StoredFile = z.infer<typeof storedFileSchema>;

/** What a file field accepts. */
export interface FileRules {
  /** Attachment kinds taken as they come (e.g. `photo`). */
  kinds: readonly InboundAttachment['kind'][];
  /** Documents are taken too when their MIME type or file name matches (e.g. images sent as files). */
  documentTypes?: { mimes: readonly string[]; extensions: readonly string[] };
  maxSizeBytes: number;
  minCount: number;
  maxCount: number;
  /** Videos longer than this are refused when the platform gives the duration. */
  maxDurationSeconds?: number;
}

const MB = 1024 * 1024;

const KINDS: readonly string[] = storedFileSchema.shape.kind.options;

const text = asString;
const amount = asCount;

/**
 * A file as sent or as kept, with each piece of metadata kept only when it has its type; undefined
 * when there is no reference to fetch the file by (nothing usable is left).
 */
export function wellTypedFile(value: unknown): StoredFile | undefined {
  if (!isRecord(value)) return undefined;
  const fileRef = text(value['fileRef']);
  if (fileRef === undefined || fileRef === '') return undefined;
  const kind = value['kind'];
  const file: StoredFile = { kind: typeof kind === 'string' && KINDS.includes(kind) ? (kind as StoredFile['kind']) : 'other', fileRef };
  const uniqueId = text(value['uniqueId']);
  if (uniqueId !== undefined) file.uniqueId = uniqueId;
  const name = text(value['name']);
  if (name !== undefined) file.name = name;
  const mime = text(value['mime']);
  if (mime !== undefined) file.mime = mime;
  const sizeBytes = amount(value['sizeBytes']);
  if (sizeBytes !== undefined) file.sizeBytes = sizeBytes;
  const durationSeconds = amount(value['durationSeconds']);
  if (durationSeconds !== undefined) file.durationSeconds = durationSeconds;
  if (value['durationUnchecked'] === true) file.durationUnchecked = true;
  return file;
}

function typeAllowed(file: StoredFile, rules: FileRules): boolean {
  if (rules.kinds.includes(file.kind)) return true;
  const types = rules.documentTypes;
  if (file.kind !== 'document' || types === undefined) return false;
  const mime = file.mime?.toLowerCase() ?? '';
  const extension = /\.([a-z0-9]{1,5})$/i.exec(file.name ?? '')?.[1]?.toLowerCase() ?? '';
  return types.mimes.includes(mime) || types.extensions.includes(extension);
}

/**
 * Checks one file against the rules: the stored form, or the reason it is refused. Metadata of the
 * wrong type is dropped first; a file without a reference is refused as unreadable.
 */
export function checkFile(given: InboundAttachment, rules: FileRules): ParseResult<StoredFile> {
  const file = wellTypedFile(given);
  if (file === undefined) return fail('file.unreadable');
  if (!typeAllowed(file, rules)) return fail('file.wrong_type');
  if (file.sizeBytes !== undefined && file.sizeBytes > rules.maxSizeBytes) {
    return fail('file.too_large', { maxMb: Math.floor(rules.maxSizeBytes / MB) });
  }
  const stored: StoredFile = { kind: file.kind, fileRef: file.fileRef };
  if (file.uniqueId !== undefined) stored.uniqueId = file.uniqueId;
  if (file.name !== undefined) stored.name = file.name;
  if (file.mime !== undefined) stored.mime = file.mime;
  if (file.sizeBytes !== undefined) stored.sizeBytes = file.sizeBytes;
  const isVideo = file.kind === 'video' || (file.mime ?? '').startsWith('video/');
  if (rules.maxDurationSeconds !== undefined && isVideo) {
    if (file.durationSeconds === undefined) stored.durationUnchecked = true;
    else if (file.durationSeconds > rules.maxDurationSeconds) {
      return fail('file.video_too_long', { maxMinutes: rules.maxDurationSeconds / 60, seconds: file.durationSeconds });
    }
  }
  if (file.durationSeconds !== undefined) stored.durationSeconds = file.durationSeconds;
  return ok(stored);
}

/**
 * The files already kept in a field's value, each read on its own: an entry whose metadata has the
 * wrong type keeps its file without that metadata, and only an entry without a reference is left out.
 */
export function filesOf(value: JsonValue | undefined): StoredFile[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) => {
    const file = wellTypedFile(entry);
    return file === undefined ? [] : [file];
  });
}

/** A file field; its answer is a list of files, complete once it holds `minCount` of them. */
export function filesField(id: string, common: { column: string; aliases?: readonly string[]; optional?: boolean; rules: FileRules }): FieldSpec & { rules: FileRules } {
  return {
    id,
    column: common.column,
    aliases: common.aliases ?? [],
    optional: common.optional ?? false,
    kind: 'files',
    rules: common.rules,
    schema: z.array(storedFileSchema) as z.ZodType<JsonValue>,
    parse: () => fail('file.expected'),
    format: (value: JsonValue, ctx: FieldContext) => {
      const files = filesOf(value);
      const names = files.map((f, i) => f.name ?? `#${i + 1}`).join(ctx.t('punctuation.list'));
      const count = ctx.t('flow.files_count', { count: files.length });
      return `${count}${names === '' ? '' : `${ctx.t('punctuation.label')}${names}`}`;
    },
    isComplete: (value: JsonValue) => filesOf(value).length >= common.rules.minCount,
  };
}

/** True for fields made by {@link filesField}. */
export function isFilesField(field: FieldSpec): field is FieldSpec & { rules: FileRules } {
  return field.kind === 'files' && 'rules' in field;
}
