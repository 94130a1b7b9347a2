/**
 * Filings built in memory for the export, staff-command and security tests: realistic answers for
 * all four forms (附件3 with several rows, files with names), on the shipped event, locales and flows.
 */
import type { Filing } from '../../src/domain/filing.js';
import type { JsonValue } from '../../src/kernel/json.js';
import type { FieldContext } from '../../src/flow/define.js';
import type { Declaration } from '../../src/domain/records.js';
import type { FilingWrite, Store } from '../../src/store/store.js';
import { allFlows } from '../../flows/index.js';
import { event, runnerContext } from './engine-harness.js';

export { allFlows, event };

/** 1 May 2021, 10:00 in Qingdao: the day after the forms' deadline, when staff export. */
export const EXPORT_NOW = new Date('2021-05-01T10:00:00+08:00');

/** The field context staff export with (zh-CN). */
export function exportContext(): FieldContext {
  const { event: ev, locale, now, t } = runnerContext('zh-CN', EXPORT_NOW);
  return { event: ev, locale, now, t };
}

let serial = 0;

/** A submitted filing of a form with the given answers. */
export function filing(formId: string, district: string, values: Record<string, JsonValue>, extra: Partial<Filing> = {}): Filing {
  serial += 1;
  const prefix = { 'key-project': 'KP', exhibitor: 'EX', 'open-institutions': 'OI', 'summary-report': 'SR' }[formId] ?? 'XX';
  return {
    receipt: `${prefix}-2021-${String(serial).padStart(4, '0')}`,
    eventId: event.id,
    formId,
    flowVersion: 1,
    district,
    ownerKey: `telegram:${serial}`,
    ownerName: '王小明',
    values: { district, ...values },
    status: 'submitted',
    reopened: false,
    version: 1,
    createdAt: '2021-04-20T02:30:00.000Z',
    updatedAt: '2021-04-21T06:45:00.000Z',
    ...extra,
  };
}

/** A 附件2 key project with every field answered. */
export function keyProjectFiling(district = 'shinan', overrides: Record<string, JsonValue> = {}): Filing {
  return filing('key-project', district, {
    projectName: '“百年回望”科技成就展',
    organizer: '市南区科学技术局',
    supervisor: '市南区人民政府',
    venue: '青岛市科技馆一楼展厅',
    period: { start: '2021-05-22', end: '2021-05-28' },
    projectLead: '李建国',
    contactPerson: '张丽',
    address: '青岛市市南区香港中路11号',
    postalCode: '266071',
    phone: '0532-85911893',
    fax: '0532-85911894',
    email: 'kjj@shinan.example.cn',
    budget: 55000.5,
    attendance: 300,
    summary: '以图片、实物和互动体验展示党领导科技发展的百年历程，\n邀请中小学生、社区居民参观，通过微信公众号和本地电视台宣传。',
    ...overrides,
  });
}

/** A 附件1 exhibitor with photos. */
export function exhibitorFiling(district = 'laoshan'): Filing {
  return filing('exhibitor', district, {
    exhibitor: '崂山区氢能产业示范中心',
    contactPerson: '陈静',
    contactPhone: '13800138000',
    description: '展示“氢进万家”燃料电池汽车、氢能叉车模型和家用氢能热电联供设备，现场讲解氢能知识。',
    districtContact: '刘洋',
    districtContactPhone: '0532-88996677',
    photos: [
      { kind: 'photo', fileRef: 'AgAD-1', name: '氢能汽车.jpg' },
      { kind: 'photo', fileRef: 'AgAD-2', name: '热电联供, 样机.png' },
    ],
  });
}

/** A 附件3 filing with three institutions (quotes, commas and a line break among the answers). */
export function openInstitutionsFiling(district = 'huangdao'): Filing {
  return filing('open-institutions', district, {
    filer: '黄岛区科学技术局',
    institutions: [
      {
        unitName: '中国石油大学（华东）',
        openTime: { start: '2021-05-22', end: '2021-05-23' },
        openContent: '重质油国家重点实验室，"油气"科普展',
        address: '青岛市黄岛区长江西路66号',
        contactPerson: '赵敏',
        contactPhone: '0532-86981234',
      },
      {
        unitName: '山东科技大学',
        openTime: { start: '2021-05-25', end: '2021-05-25' },
        openContent: '矿山灾害预防控制实验室\n地质标本馆',
        address: '青岛市黄岛区前湾港路579号',
        contactPerson: '孙强',
        contactPhone: '13912345678',
      },
      {
        unitName: '青岛海洋地质研究所',
        openTime: { start: '2021-05-26', end: '2021-05-27' },
        openContent: '海洋地质样品库',
        address: '青岛市市南区福州南路62号',
        contactPerson: '周红',
        contactPhone: '0532-85755800',
      },
    ],
  });
}

/** A summary report with its document and video. */
export function summaryReportFiling(district = 'jimo'): Filing {
  return filing('summary-report', district, {
    report: [{ kind: 'document', fileRef: 'BQAD-1', name: '即墨区2021年科技活动周总结报告.docx', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' }],
    video: [{ kind: 'video', fileRef: 'BAAD-1', name: '即墨区科技周.mp4', durationSeconds: 170 }],
    summaryText: '即墨区共举办科普活动12场，参与群众约5000人次，发放科普资料3000余份。',
  });
}

/** A declaration that a district has nothing to file for a form. */
export function declaration(district: string, formId: string): Declaration {
  return { eventId: event.id, district, formId, declaredBy: 'telegram:9', at: '2021-04-25T01:00:00.000Z' };
}

/**
 * Writes filings into a store as their first version (submitted), then those at a later version (a
 * withdrawn one, say) over it, as the bot's commits would have.
 */
export async function seedFilings(store: Pick<Store, 'commit'>, filings: readonly Filing[]): Promise<void> {
  const key = { platform: 'seed', chatId: 'seed', userId: 'seed' };
  const writes = (list: readonly Filing[], first: boolean): FilingWrite[] =>
    list.map((f) => (first ? { filing: { ...f, status: 'submitted' as const, version: 1 }, expectedVersion: 0 } : { filing: f, expectedVersion: f.version - 1 }));
  for (const batch of [writes(filings, true), writes(filings.filter((f) => f.version > 1), false)]) {
    if (batch.length === 0) continue;
    const result = await store.commit({ key, expectedVersion: 0, data: null, sessionTtlMs: 1000, filings: batch });
    if (!result.ok) throw new Error(`seed not committed: ${JSON.stringify(result)}`);
  }
}
