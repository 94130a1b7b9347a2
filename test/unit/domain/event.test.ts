import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../../src/kernel/errors.js';
import {
  deadlineOf,
  findDeadline,
  findDistrict,
  findForm,
  loadEvent,
  parseEvent,
  toLookupKey,
  type EventData,
} from '../../../src/domain/event.js';

const EVENT_FILE = fileURLToPath(new URL('../../../data/event.json', import.meta.url));
const shipped = loadEvent(EVENT_FILE);

let dir = '';
let counter = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sciweek-event-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function writeTemp(content: string): string {
  counter += 1;
  const file = join(dir, `event-${counter}.json`);
  writeFileSync(file, content, 'utf8');
  return file;
}

function expectConfigError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  return expect.fail('expected a ConfigError');
}

/** Writes a broken copy of the shipped event and returns the loader's error and the file's path. */
function loadBroken(mutate: (copy: EventData) => void): { error: ConfigError; file: string } {
  const copy = structuredClone(shipped);
  mutate(copy);
  const file = writeTemp(JSON.stringify(copy));
  return { error: expectConfigError(() => loadEvent(file)), file };
}

/** The copy as a plain record, to write values of the wrong type. */
const loose = (value: object): Record<string, unknown> => value as Record<string, unknown>;

describe('the shipped data/event.json', () => {
  it('is the 2021 Qingdao week in Asia/Shanghai', () => {
    expect(shipped.id).toBe('qingdao-2021');
    expect(shipped.timezone).toBe('Asia/Shanghai');
    expect(shipped.year).toBe(2021);
    expect(shipped.name['zh-CN']).toBe('2021年青岛市科技活动周');
    expect(shipped.issuers.map((issuer) => issuer['zh-CN'])).toEqual(['市科技局', '中共青岛市委宣传部', '市科协']);
    expect(shipped.basis.map((doc) => doc.number)).toEqual(['国科发智〔2021〕77号', '鲁科字〔2021〕29号']);
    expect(shipped.occasion['zh-CN']).toContain('建党100周年');
  });

  it('has the week, theme and the five main contents', () => {
    expect(shipped.week.start).toBe('2021-05-22');
    expect(shipped.week.end).toBe('2021-05-28');
    expect(shipped.theme.text['zh-CN']).toBe('百年回望：中国共产党领导科技发展');
    expect(shipped.contents.map((content) => content.id)).toEqual([
      'party-leadership',
      'scientist-spirit',
      'youth-innovation',
      'service-for-people',
      'hydrogen',
    ]);
    expect(shipped.contents[4]?.text['zh-CN']).toContain('氢进万家');
  });

  it('has the activities, the epidemic note and the four work requirements', () => {
    expect(shipped.activities.map((activity) => activity.id)).toEqual([
      'launch-ceremony',
      'sub-venues',
      'open-institutions',
      'science-envoys',
    ]);
    expect(shipped.epidemic.text['zh-CN']).toContain('联防联控机制');
    expect(shipped.requirements.map((requirement) => requirement.id)).toEqual([
      'organisation',
      'publicity',
      'safety',
      'summary',
    ]);
  });

  it('has the forms, their attachments and both deadlines', () => {
    expect(shipped.forms.map((form) => [form.id, form.attachment, form.deadline])).toEqual([
      ['exhibitor', 1, 'forms'],
      ['key-project', 2, 'forms'],
      ['open-institutions', 3, 'forms'],
      ['summary-report', undefined, 'summary'],
    ]);
    expect(shipped.deadlines.map((deadline) => [deadline.id, deadline.date])).toEqual([
      ['forms', '2021-04-30'],
      ['summary', '2021-06-10'],
    ]);
    expect(shipped.attachments.map((attachment) => attachment.number)).toEqual([1, 2, 3, 4]);
    expect(shipped.attachments[3]?.title['zh-CN']).toBe('科技活动周标识');
    expect(shipped.logo.attachment).toBe(4);
    expect(findForm(shipped, 'exhibitor')?.title['zh-CN']).toBe('2021青岛市科技活动周启动式参展信息表');
  });

  it('has the summary rules, the submission address and the contact', () => {
    expect(shipped.summaryReport.videoMaxSeconds).toBe(180);
    expect(shipped.submission.email).toBe('kjjrencaichu@qd.shandong.cn');
    expect(shipped.submission.to['zh-CN']).toBe('市科技局外国专家工作处（科技人才处）');
    expect(shipped.contact.person).toEqual({ 'zh-CN': '尚岩', en: 'Shang Yan' });
    expect(shipped.contact.phone).toBe('0532-85911893');
    expect(shipped.contact.email).toBe('kjjrencaichu@qd.shandong.cn');
    expect(shipped.contact.address['zh-CN']).toBe('青岛市香港中路11号');
  });

  it('lists the ten districts and county-level cities plus the functional zones', () => {
    const units = shipped.districts.filter((district) => district.kind !== 'functional-zone');
    expect(units.map((district) => district.id)).toEqual([
      'shinan',
      'shibei',
      'licang',
      'laoshan',
      'chengyang',
      'huangdao',
      'jimo',
      'jiaozhou',
      'pingdu',
      'laixi',
    ]);
    const zones = shipped.districts.filter((district) => district.kind === 'functional-zone');
    expect(zones.map((zone) => zone.id)).toEqual(expect.arrayContaining(['high-tech-zone', 'blue-valley']));
    expect(shipped.districts.every((district) => district.aliases.length > 0)).toBe(true);
  });
});

describe('loadEvent rejects a broken copy', () => {
  const lists = ['contents', 'activities', 'requirements', 'forms', 'deadlines', 'districts'] as const;
  it.each(lists)('a duplicate id in %s', (list) => {
    const { error, file } = loadBroken((copy) => {
      const [first, second] = copy[list];
      if (first === undefined || second === undefined) throw new Error(`${list} needs two entries`);
      second.id = first.id;
    });
    expect(error.message).toContain(`${file}: ${list}.1.id: duplicate id`);
    expect(error.code).toBe('config_invalid');
  });

  const cases: [string, (copy: EventData) => void, string][] = [
    ['an id that is not kebab-case', (copy) => void Object.assign(copy.districts[3] ?? {}, { id: 'Laoshan_Qu' }), 'districts.3.id: must be kebab-case'],
    ['a week that ends before it starts', (copy) => void (copy.week.end = '2021-05-21'), 'week.end: the week ends'],
    ['a week outside the event year', (copy) => void Object.assign(copy.week, { start: '2020-05-22' }), 'week.start: the week starts'],
    ['a form naming an unknown deadline', (copy) => void Object.assign(copy.forms[0] ?? {}, { deadline: 'later' }), 'forms.0.deadline: no deadline has id "later"'],
    ['an attachment naming an unknown form', (copy) => void Object.assign(copy.attachments[0] ?? {}, { formId: 'nope' }), 'attachments.0.formId: no form has id "nope"'],
    ['a form pointing at the wrong attachment', (copy) => void Object.assign(copy.forms[0] ?? {}, { attachment: 2 }), 'forms.0.attachment: attachment 2 does not name form "exhibitor"'],
    ['a duplicate attachment number', (copy) => void Object.assign(copy.attachments[3] ?? {}, { number: 1 }), 'attachments.3.number: duplicate attachment number 1'],
    ['a logo attachment that does not exist', (copy) => void (copy.logo.attachment = 9), 'logo.attachment: no attachment has number 9'],
    ['a date that is not on the calendar', (copy) => void Object.assign(copy.deadlines[0] ?? {}, { date: '2021-02-29' }), 'deadlines.0.date: must be a real calendar date'],
    ['a date in another format', (copy) => void Object.assign(copy.deadlines[1] ?? {}, { date: '2021/06/10' }), 'deadlines.1.date: must be a real calendar date'],
    ['an alias used by two districts', (copy) => void copy.districts[1]?.aliases.push('市南'), 'districts.1.aliases.2: "市南" already names district "shinan"'],
    ['an alias equal to another district\'s id', (copy) => void copy.districts[0]?.aliases.push('LAOSHAN'), 'districts.3.id: "laoshan" already names district "shinan"'],
    ['a missing translation', (copy) => void (copy.theme.text.en = ''), 'theme.text.en:'],
    ['a value of the wrong type', (copy) => void (loose(copy.summaryReport)['videoMaxSeconds'] = '180'), 'summaryReport.videoMaxSeconds:'],
    ['an unknown district kind', (copy) => void (loose(copy.districts[0] ?? {})['kind'] = 'county'), 'districts.0.kind:'],
    ['an unknown key (a typo)', (copy) => void (loose(copy)['deadLines'] = []), '(root): Unrecognized key'],
    ['a bad contact e-mail', (copy) => void (copy.contact.email = 'not-an-email'), 'contact.email:'],
  ];
  it.each(cases)('%s', (_name, mutate, expected) => {
    const { error, file } = loadBroken(mutate);
    expect(error.message).toContain(`${file}: ${expected}`);
  });

  it('reports every problem, one line each', () => {
    const { error, file } = loadBroken((copy) => {
      Object.assign(copy.deadlines[0] ?? {}, { date: '2021-04-31' });
      Object.assign(copy.districts[2] ?? {}, { id: 'Li Cang' });
    });
    const lines = error.message.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.every((line) => line.startsWith(`${file}: `))).toBe(true);
  });

  it('a file that is not JSON', () => {
    const file = writeTemp('{ "id": "qingdao-2021", ');
    expect(expectConfigError(() => loadEvent(file)).message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON`));
  });

  it('a file that does not exist', () => {
    const file = join(dir, 'missing.json');
    expect(expectConfigError(() => loadEvent(file)).message).toContain(`${file}: cannot read the file`);
  });

  it('accepts a file with a byte-order mark', () => {
    const file = writeTemp(`\uFEFF${JSON.stringify(shipped)}`);
    expect(loadEvent(file).id).toBe('qingdao-2021');
  });

  it('names the given source when parsing data directly', () => {
    const error = expectConfigError(() => parseEvent({ ...shipped, year: 'twenty' }, 'data/event.json'));
    expect(error.message).toContain('data/event.json: year:');
  });
});

describe('lookups', () => {
  it('finds a district by id, name or alias, ignoring case, spaces and full-width forms', () => {
    expect(findDistrict(shipped, 'shinan')?.id).toBe('shinan');
    expect(findDistrict(shipped, '市南')?.id).toBe('shinan');
    expect(findDistrict(shipped, '市南区')?.id).toBe('shinan');
    expect(findDistrict(shipped, '  Shinan  District ')?.id).toBe('shinan');
    expect(findDistrict(shipped, 'ＳＨＩＮＡＮ')?.id).toBe('shinan');
    expect(findDistrict(shipped, '黄岛区(西海岸新区)')?.id).toBe('huangdao');
    expect(findDistrict(shipped, '西海岸')?.id).toBe('huangdao');
    expect(findDistrict(shipped, '胶州市')?.id).toBe('jiaozhou');
    expect(findDistrict(shipped, '高新区')?.id).toBe('high-tech-zone');
    expect(findDistrict(shipped, 'blue valley')?.id).toBe('blue-valley');
  });

  it('finds no district for an unknown or empty name', () => {
    expect(findDistrict(shipped, '北京')).toBeUndefined();
    expect(findDistrict(shipped, '   ')).toBeUndefined();
  });

  it('folds lookup keys', () => {
    expect(toLookupKey('　Ｌａｏ　Ｓｈａｎ　')).toBe('laoshan');
  });

  it('finds forms and their deadlines', () => {
    expect(findForm(shipped, 'key-project')?.attachment).toBe(2);
    expect(findForm(shipped, 'nope')).toBeUndefined();
    expect(deadlineOf(shipped, 'exhibitor')?.date).toBe('2021-04-30');
    expect(deadlineOf(shipped, 'open-institutions')?.date).toBe('2021-04-30');
    expect(deadlineOf(shipped, 'summary-report')?.date).toBe('2021-06-10');
    expect(deadlineOf(shipped, 'nope')).toBeUndefined();
    expect(findDeadline(shipped, 'summary')?.id).toBe('summary');
  });
});
