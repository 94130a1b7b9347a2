/**
 * Valid answers to every kind of form field, for property tests over the shipped flows. Each answer
 * is generated from the value the field must keep, then written the ways people type it (labels,
 * units, separators, full-width digits, invisible padding), so a test checks both that the field
 * accepts it and what it stores. File fields get files as a platform delivers them, repeating groups
 * whole rows. The field builders keep their bounds private, so the bounds are read from the field's
 * own refusals: the numbers a user is told when an answer is too long, too small or too large.
 */
import fc from 'fast-check';
import type { InboundAttachment } from '../../src/domain/inbound.js';
import type { JsonValue } from '../../src/kernel/json.js';
import { isFilesField, type FileRules, type StoredFile } from '../../src/flow/attachments.js';
import type { FieldContext, FieldKind, FieldSpec, RepeatSpec } from '../../src/flow/define.js';
import { MAX_RANGE_DAYS } from '../../src/flow/parse/index.js';
import { padding, widen } from './parser-arbitraries.js';

/** A typed answer: the text the user sends and the value the field must keep. */
export interface TypedAnswer {
  kind: 'typed';
  text: string;
  expected: JsonValue;
}

/** Files sent to a file field, and the stored form each must be kept as. */
export interface FilesAnswer {
  kind: 'files';
  files: InboundAttachment[];
  expected: StoredFile[];
}

/** Rows of a repeating group: per column a typed answer, or null for an optional column skipped. */
export interface RowsAnswer {
  kind: 'rows';
  rows: Record<string, TypedAnswer | null>[];
}

/** A valid answer to one field. */
export type FieldAnswer = TypedAnswer | FilesAnswer | RowsAnswer;

/** The kinds of field answered by typing. */
export type TypedKind = Exclude<FieldKind, 'files' | 'repeat'>;

/** Valid answers to a field of the shipped kinds, on the given event and language. */
export function fieldAnswer(field: FieldSpec, ctx: FieldContext): fc.Arbitrary<FieldAnswer> {
  if (field.kind === 'files') {
    if (!isFilesField(field)) throw new Error(`files field "${field.id}" has no file rules`);
    return filesAnswer(field.rules);
  }
  if (field.kind === 'repeat') {
    if (field.repeat === undefined) throw new Error(`repeat field "${field.id}" has no columns`);
    return rowsAnswer(field.repeat, ctx);
  }
  return typedAnswer(field, ctx);
}

/** Valid typed answers to a field answered by text (every column of a repeating group is one). */
export function typedAnswer(field: FieldSpec, ctx: FieldContext): fc.Arbitrary<TypedAnswer> {
  if (field.kind === 'files' || field.kind === 'repeat') throw new Error(`field "${field.id}" is not answered by typing`);
  return TYPED[field.kind](field, ctx);
}

/** One generator per typed kind: a new kind of field does not compile until it has one. */
const TYPED: Readonly<Record<TypedKind, (field: FieldSpec, ctx: FieldContext) => fc.Arbitrary<TypedAnswer>>> = {
  text: (field, ctx) => proseAnswer(field, ctx, true),
  longtext: (field, ctx) => proseAnswer(field, ctx, false),
  choice: choiceAnswer,
  'date-range': dateAnswer,
  integer: integerAnswer,
  money: moneyAnswer,
  phone: phoneAnswer,
  email: () => emailAnswer(),
  'postal-code': () => postalAnswer(),
};

/** The number a field names when it refuses `probe` with `code`; throws when it refuses otherwise. */
function statedBound(field: FieldSpec, ctx: FieldContext, probe: string, code: string, param: string): number {
  const result = field.parse(probe, ctx);
  const bound = result.ok ? undefined : result.params?.[param];
  if (result.ok || result.error !== code || typeof bound !== 'number') {
    throw new Error(`field "${field.id}" does not refuse ${probe.slice(0, 12)}… with ${code} {${param}}`);
  }
  return bound;
}

/** Dresses a typed value: maybe a label before it, digits maybe full-width, invisible padding around. */
function dressed(values: fc.Arbitrary<{ text: string; expected: JsonValue }>, labels: readonly string[] = ['']): fc.Arbitrary<TypedAnswer> {
  return fc
    .tuple(values, fc.constantFrom(...labels), fc.array(fc.boolean(), { maxLength: 8 }), padding, padding)
    .map(([{ text, expected }, label, wide, before, after]) => ({ kind: 'typed', text: `${before}${label}${widen(text, wide)}${after}`, expected }));
}

/** What prose is made of: Han (one outside the BMP), Latin letters, digits and Chinese punctuation. */
const GLYPH = fc.constantFrom(
  ...'青岛海洋科学馆技术研究所大学中心市南区崂山展览活动周开放实验室智能机器人𠮷',
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  ...'，。、：；！？（）《》“”-·&/',
);

/**
 * A text or long text of a length the field accepts (in code points). Inside it, single spaces and
 * line breaks between glyphs; a one-line field keeps each break as a space, a long text keeps it.
 */
function proseAnswer(field: FieldSpec, ctx: FieldContext, oneLine: boolean): fc.Arbitrary<TypedAnswer> {
  const max = statedBound(field, ctx, '字'.repeat(100_000), 'text.too_long', 'max');
  const short = field.parse('字', ctx);
  const min = short.ok ? 1 : statedBound(field, ctx, '字', 'text.too_short', 'min');
  const prose = fc
    .integer({ min, max })
    .chain((length) =>
      fc.tuple(
        fc.array(GLYPH, { minLength: length, maxLength: length }),
        fc.array(fc.tuple(fc.nat({ max: length - 1 }), fc.constantFrom(' ', '\n')), { maxLength: 8 }),
      ),
    )
    .map(([glyphs, cuts]) => {
      const chars = [...glyphs];
      const isBreak = (c: string | undefined): boolean => c === ' ' || c === '\n';
      for (const [at, mark] of cuts) {
        if (at > 0 && at < chars.length - 1 && !isBreak(chars[at - 1]) && !isBreak(chars[at + 1])) chars[at] = mark;
      }
      const text = chars.join('');
      return { text, expected: oneLine ? text.replaceAll('\n', ' ') : text };
    });
  return dressed(prose);
}

/** An option of a choice, typed by its value, its label, an alias or its number, in any letter case. */
function choiceAnswer(field: FieldSpec, ctx: FieldContext): fc.Arbitrary<TypedAnswer> {
  const options = field.options?.(ctx) ?? [];
  if (options.length === 0) throw new Error(`choice field "${field.id}" offers no options`);
  const picked = fc.nat({ max: options.length - 1 }).chain((index) => {
    const option = options[index] ?? { value: '', label: '', aliases: [] };
    const names = [option.value, option.label, ...option.aliases, String(index + 1)];
    return fc.tuple(fc.constantFrom(...names), fc.constantFrom('as typed', 'upper', 'lower')).map(([name, letterCase]) => ({
      text: letterCase === 'upper' ? name.toUpperCase() : letterCase === 'lower' ? name.toLowerCase() : name,
      expected: option.value,
    }));
  });
  return dressed(picked);
}

const DAY_MS = 86_400_000;
const ZH_WEEKDAYS = '日一二三四五六';

/** A calendar day, as numbers. */
interface Day {
  year: number;
  month: number;
  day: number;
  weekday: number;
}

function dayOf(dayNumber: number): Day {
  const date = new Date(dayNumber * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), weekday: date.getUTCDay() };
}

function iso(d: Day): string {
  return `${String(d.year)}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

type DateStyle = 'iso' | 'zh' | 'dotted' | 'slashed';

/** One day in a style, with or without its year (ISO dates always have one). */
function writeDay(d: Day, style: DateStyle, withYear: boolean, weekday: boolean): string {
  const y = String(d.year);
  const m = String(d.month);
  const day = String(d.day);
  switch (style) {
    case 'iso':
      return iso(d);
    case 'zh':
      return `${withYear ? `${y}年` : ''}${m}月${day}日${weekday ? `（周${ZH_WEEKDAYS.charAt(d.weekday)}）` : ''}`;
    case 'dotted':
      return withYear ? `${y}.${m}.${day}` : `${m}.${day}`;
    case 'slashed':
      return withYear ? `${y}/${m}/${day}` : `${m}/${day}`;
  }
}

/**
 * A day or a range of days around the event's year (at most {@link MAX_RANGE_DAYS} days), written
 * as ISO, Chinese, dotted or slashed dates joined by a range word or dash. The year is left out only
 * where the event's year is meant; `5月22日-28日` is used within one month; a single day may carry a
 * clock time (stored as its hours), Chinese dates a weekday.
 */
function dateAnswer(_field: FieldSpec, ctx: FieldContext): fc.Arbitrary<TypedAnswer> {
  const year = ctx.event.year;
  const first = Date.UTC(year - 1, 0, 1) / DAY_MS;
  const last = Date.UTC(year + 1, 11, 31) / DAY_MS;
  return dressed(
    fc
      .record({
        start: fc.integer({ min: first, max: last }),
        length: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: MAX_RANGE_DAYS - 1 })),
        style: fc.constantFrom<DateStyle>('iso', 'zh', 'dotted', 'slashed'),
        dropYears: fc.boolean(),
        endYear: fc.boolean(),
        shortEnd: fc.boolean(),
        weekday: fc.boolean(),
        separator: fc.constantFrom('-', ' - ', '至', '到', '~', '～', '—', ' to '),
        // A clock time as written, and the hours it is stored as.
        time: fc.constantFrom<[string, Record<string, string>]>(
          ['', {}],
          [' 9:00-11:30', { startTime: '09:00', endTime: '11:30' }],
          [' 上午9:00', { startTime: '09:00' }],
          [' 14:00', { startTime: '14:00' }],
          [' 下午2点', { startTime: '14:00' }],
        ),
      })
      .map((r) => {
        const a = dayOf(r.start);
        const b = dayOf(r.start + r.length);
        const expected = { start: iso(a), end: iso(b) };
        const startYear = !(r.dropYears && a.year === year && b.year === year);
        const [time, hours] = r.time;
        if (r.length === 0) return { text: `${writeDay(a, r.style, startYear, r.weekday)}${time}`, expected: { ...expected, ...hours } };
        const head = writeDay(a, r.style, startYear, r.weekday);
        if (r.style === 'zh' && r.shortEnd && a.year === b.year && a.month === b.month) {
          return { text: `${head}${r.separator}${String(b.day)}日`, expected };
        }
        const endYear = startYear && (b.year !== a.year || r.endYear);
        return { text: `${head}${r.separator}${writeDay(b, r.style, endYear, r.weekday)}`, expected };
      }),
  );
}

/** `1234567` → `1,234,567`. */
function grouped(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A whole number within the field's bounds: plain, with thousands commas or in 万, with hedges and units. */
function integerAnswer(field: FieldSpec, ctx: FieldContext): fc.Arbitrary<TypedAnswer> {
  const max = statedBound(field, ctx, '9'.repeat(30), 'integer.too_large', 'max');
  const min = statedBound(field, ctx, `-${'9'.repeat(30)}`, 'integer.too_small', 'min');
  const counts = fc
    .record({
      n: fc.integer({ min, max }),
      style: fc.constantFrom('plain', 'commas', 'wan'),
      before: fc.constantFrom('', '约', '大约', '共', '预计'),
      after: fc.constantFrom('', '人', '人次', '名', '左右', '余人', '人以上'),
    })
    .map(({ n, style, before, after }) => {
      const digits = String(n);
      const written = style === 'commas' ? grouped(digits) : style === 'wan' && n % 1000 === 0 && n >= 10_000 ? `${String(n / 10_000)}万` : digits;
      return { text: `${before}${written}${after}`, expected: n };
    });
  return dressed(counts, ['', '人数：', '拟参加人数:']);
}

/** An amount in whole fen up to the field's maximum: plain, with commas or in 万, with currency words. */
function moneyAnswer(field: FieldSpec, ctx: FieldContext): fc.Arbitrary<TypedAnswer> {
  const max = statedBound(field, ctx, '9'.repeat(30), 'money.too_large', 'max');
  const amounts = fc
    .record({
      fen: fc.oneof(fc.integer({ min: 0, max: Math.round(max * 100) }), fc.integer({ min: 0, max: Math.floor(max / 100) }).map((h) => h * 10_000)),
      style: fc.constantFrom('plain', 'commas', 'wan'),
      zeroCents: fc.boolean(),
      before: fc.constantFrom('', '¥', '￥', '人民币', 'RMB ', '约'),
      after: fc.constantFrom('', '元', '元整', '块', ' 元', '元左右'),
    })
    .map(({ fen, style, zeroCents, before, after }) => {
      const whole = String(Math.floor(fen / 100));
      const cents = fen % 100;
      const decimals = cents === 0 ? (zeroCents ? '.00' : '') : `.${String(cents).padStart(2, '0')}`;
      const written =
        style === 'wan' && fen % 10_000 === 0 ? `${String(fen / 1_000_000)}万` : `${style === 'commas' ? grouped(whole) : whole}${decimals}`;
      return { text: `${before}${written}${after}`, expected: fen / 100 };
    });
  return dressed(amounts, ['', '经费：', '活动经费:']);
}

/** `count` random decimal digits, the first one from `firstFrom`. */
function digitRun(count: number, firstFrom = '0123456789'): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...firstFrom), fc.array(fc.constantFrom(...'0123456789'), { minLength: count - 1, maxLength: count - 1 }))
    .map(([head, tail]) => head + tail.join(''));
}

/** Splits a run of digits in two groups after `at` digits. */
function split(digits: string, at: number, mark: string): string {
  return `${digits.slice(0, at)}${mark}${digits.slice(at)}`;
}

/**
 * A mainland mobile (with or without +86/0086/86, grouped 3-4-4) or a landline with its area code
 * (010, 02x, 0xxx; with dash, space, parentheses or nothing) and maybe an extension (`-801`, `转801`,
 * `分机801`, ` ext. 801`); a bare local number when the field supplies an area code.
 */
function phoneAnswer(field: FieldSpec, ctx: FieldContext): fc.Arbitrary<TypedAnswer> {
  // The area code a bare local number takes, as the field stores it; none when it asks for one.
  const bare = field.parse('23456789', ctx);
  const defaultArea = bare.ok && typeof bare.value === 'string' ? bare.value.split('-')[0] : undefined;
  const mobile = fc
    .record({
      number: fc.tuple(fc.constantFrom(...'3456789'), digitRun(9)).map(([second, rest]) => `1${second}${rest}`),
      country: fc.constantFrom('', '+86 ', '+86-', '0086 ', '86'),
      mark: fc.constantFrom('', ' ', '-'),
    })
    .map(({ number, country, mark }) => ({
      text: `${country}${mark === '' ? number : `${number.slice(0, 3)}${mark}${number.slice(3, 7)}${mark}${number.slice(7)}`}`,
      expected: number,
    }));
  const areaCode = fc.oneof(fc.constant('010'), digitRun(1).map((d) => `02${d}`), fc.tuple(fc.constantFrom(...'3456789'), digitRun(2)).map(([d, r]) => `0${d}${r}`));
  const extension = fc.option(fc.integer({ min: 1, max: 6 }).chain((n) => digitRun(n)), { nil: undefined });
  const landline = fc
    .record({
      area: areaCode,
      local: fc.integer({ min: 7, max: 8 }).chain((n) => digitRun(n, '23456789')),
      ext: extension,
      areaMark: fc.constantFrom('-', ' ', '()', '（）', ''),
      localSplit: fc.constantFrom(0, 3, 4),
      extMark: fc.constantFrom('-', '转', '分机', ' ext. ', ' 转 '),
      bare: fc.boolean(),
    })
    .map(({ area, local, ext, areaMark, localSplit, extMark, bare: dropArea }) => {
      const withoutArea = dropArea && defaultArea !== undefined;
      const code = withoutArea ? defaultArea : area;
      const localText = localSplit === 0 || areaMark === '' ? local : split(local, localSplit, ' ');
      const head = withoutArea
        ? localText
        : areaMark === '()' || areaMark === '（）'
          ? `${areaMark.charAt(0)}${area}${areaMark.charAt(1)}${localText}`
          : `${area}${areaMark}${localText}`;
      return {
        text: `${head}${ext === undefined ? '' : `${extMark}${ext}`}`,
        expected: `${code}-${local}${ext === undefined ? '' : `-${ext}`}`,
      };
    });
  return dressed(fc.oneof(mobile, landline), ['', '电话：', '联系电话:', 'Tel: ']);
}

const LOCAL_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+-';
const LABEL_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A run of min..max characters of `chars`. */
function word(chars: string, max: number, min = 1): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...chars), { minLength: min, maxLength: max }).map((c) => c.join(''));
}

/**
 * An address with a dot-atom local part and a domain of valid labels, maybe with upper-case letters
 * in the domain, an IME's `＠` or `。`, angle brackets, a `邮箱：`/`mailto:` label or a final `。`.
 */
function emailAnswer(): fc.Arbitrary<TypedAnswer> {
  // A domain label: one letter or digit, or letters, digits and inner hyphens between two of them.
  const label = fc
    .tuple(word(LABEL_CHARS, 1), fc.option(fc.tuple(word(`${LABEL_CHARS}-`, 8), word(LABEL_CHARS, 1)), { nil: undefined }))
    .map(([head, rest]) => (rest === undefined ? head : `${head}${rest[0]}${rest[1]}`));
  const addresses = fc
    .record({
      local: fc.array(word(LOCAL_CHARS, 10), { minLength: 1, maxLength: 4 }).map((atoms) => atoms.join('.')),
      labels: fc.array(label, { minLength: 1, maxLength: 3 }),
      tld: word('abcdefghijklmnopqrstuvwxyz', 6, 2),
      upper: fc.boolean(),
      at: fc.constantFrom('@', '＠'),
      dot: fc.constantFrom('.', '。'),
      wrap: fc.constantFrom('', '<>', '（）'),
      end: fc.constantFrom('', '。', '.'),
    })
    .map(({ local, labels, tld, upper, at, dot, wrap, end }) => {
      const domain = [...labels, tld].join('.');
      const typed = `${local}${at}${(upper ? domain.toUpperCase() : domain).replaceAll('.', dot)}`;
      return { text: `${wrap.charAt(0)}${typed}${wrap.charAt(1)}${end}`, expected: `${local}@${domain}` };
    });
  return dressed(addresses, ['', '邮箱：', 'mailto:', 'Email: ']);
}

/** Six digits, maybe grouped 3-3 by a space or dash, maybe ending in `。`. */
function postalAnswer(): fc.Arbitrary<TypedAnswer> {
  const codes = fc
    .record({ code: digitRun(6), mark: fc.constantFrom('', ' ', '-'), end: fc.constantFrom('', '。') })
    .map(({ code, mark, end }) => ({ text: `${mark === '' ? code : split(code, 3, mark)}${end}`, expected: code }));
  return dressed(codes, ['', '邮编：', '邮政编码:']);
}

/** The shape of a file the rules take: a kind they take as it comes, or a document of a listed type. */
interface FileShape {
  kind: InboundAttachment['kind'];
  mime?: string;
  name?: string;
}

/** True when a file counts as a video, whose length the rules may limit. */
function isVideo(shape: FileShape): boolean {
  return shape.kind === 'video' || (shape.mime ?? '').startsWith('video/');
}

/**
 * Between `minCount` and `maxCount` files the rules accept: their kinds, documents by MIME type or
 * by file extension (any letter case), within the size limit, videos within the length limit or of
 * unknown length (kept with a note for staff).
 */
function filesAnswer(rules: FileRules): fc.Arbitrary<FilesAnswer> {
  const base = word('abcdefghijklmnopqrstuvwxyz0123456789展品报告视频', 12);
  const types = rules.documentTypes;
  const shapes: fc.Arbitrary<FileShape>[] = rules.kinds.map((kind) =>
    fc.record({ kind: fc.constant(kind), mime: fc.constantFrom(...(types?.mimes ?? ['application/octet-stream'])), name: base }, { requiredKeys: ['kind'] }),
  );
  if (types !== undefined && types.mimes.length > 0) {
    shapes.push(fc.record({ kind: fc.constant('document' as const), mime: fc.constantFrom(...types.mimes), name: base.map((b) => `${b}.bin`) }, { requiredKeys: ['kind', 'mime'] }));
  }
  if (types !== undefined && types.extensions.length > 0) {
    const named = fc
      .tuple(base, fc.constantFrom(...types.extensions), fc.boolean())
      .map(([b, extension, upper]) => `${b}.${upper ? extension.toUpperCase() : extension}`);
    shapes.push(fc.record({ kind: fc.constant('document' as const), mime: fc.constant('application/octet-stream'), name: named }, { requiredKeys: ['kind', 'name'] }));
  }
  if (shapes.length === 0) throw new Error('file rules that accept no file');
  const maxDuration = rules.maxDurationSeconds;
  const file = fc.oneof(...shapes).chain((shape) =>
    fc
      .record({
        shape: fc.constant(shape),
        sizeBytes: fc.option(fc.integer({ min: 1, max: rules.maxSizeBytes }), { nil: undefined }),
        uniqueId: fc.option(word(LABEL_CHARS, 16), { nil: undefined }),
        durationSeconds: isVideo(shape) ? fc.option(fc.integer({ min: 1, max: maxDuration ?? 3600 }), { nil: undefined }) : fc.constant(undefined),
      }),
  );
  return fc.array(file, { minLength: rules.minCount, maxLength: rules.maxCount, size: 'max' }).map((made) => {
    const files: InboundAttachment[] = [];
    const expected: StoredFile[] = [];
    for (const [i, { shape, sizeBytes, uniqueId, durationSeconds }] of made.entries()) {
      const sent: InboundAttachment = { ...shape, fileRef: `file-${String(i + 1)}` };
      if (sizeBytes !== undefined) sent.sizeBytes = sizeBytes;
      if (uniqueId !== undefined) sent.uniqueId = uniqueId;
      if (durationSeconds !== undefined) sent.durationSeconds = durationSeconds;
      const stored: StoredFile = { ...sent };
      if (maxDuration !== undefined && isVideo(shape) && durationSeconds === undefined) stored.durationUnchecked = true;
      files.push(sent);
      expected.push(stored);
    }
    return { kind: 'files', files, expected };
  });
}

/** Between `minRows` and `maxRows` rows, each column answered validly (an optional one maybe skipped). */
function rowsAnswer(spec: RepeatSpec, ctx: FieldContext): fc.Arbitrary<RowsAnswer> {
  const columns: Record<string, fc.Arbitrary<TypedAnswer | null>> = {};
  for (const column of spec.rowFields) {
    const answer = typedAnswer(column, ctx);
    columns[column.id] = column.optional ? fc.option(answer, { nil: null }) : answer;
  }
  return fc.array(fc.record(columns), { minLength: spec.minRows, maxLength: spec.maxRows, size: 'max' }).map((rows) => ({ kind: 'rows', rows }));
}
