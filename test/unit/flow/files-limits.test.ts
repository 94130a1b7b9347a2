/**
 * The maximum of attachments per filing, on every path, through the real engine on
 * SQLite: many photos in one message (a Slack message with several files), more photos in later
 * messages (the rest of a Telegram album) after the field is full, a file over the size limit, and a
 * Slack modal with too many files. Each is refused with the limit named and the photos already
 * taken are kept.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { toAttachments, type SlackFile } from '../../../src/adapters/slack/to-inbound.js';
import type { Inbound, InboundAttachment } from '../../../src/domain/inbound.js';
import { filesOf } from '../../../src/flow/attachments.js';
import type { FlowState } from '../../../src/domain/draft.js';
import { createHarness, EXHIBITOR_ANSWERS, toTurn, translate, type Harness, type Turn } from '../../support/engine-harness.js';

const zh = translate('zh-CN');
const en = translate('en');
const MB = 1024 * 1024;


const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.cleanup();
});

async function atPhotos(): Promise<Harness> {
  const h = createHarness();
  harnesses.push(h);
  await h.say('/file exhibitor');
  for (const answer of EXHIBITOR_ANSWERS) await h.say(answer);
  return h;
}

function photos(count: number, from = 1): InboundAttachment[] {
  return Array.from({ length: count }, (_, i) => ({ kind: 'photo', mime: 'image/jpeg', fileRef: `photo-${from + i}`, uniqueId: `u-${from + i}`, sizeBytes: 100_000 }));
}

async function send(h: Harness, attachments: InboundAttachment[], extra: Partial<Inbound> = {}): Promise<Turn> {
  return toTurn(await h.handle({ ...h.inbound({}), attachments, ...extra }));
}

async function draftOf(h: Harness): Promise<FlowState | undefined> {
  const begun = await h.store.begin({ deliveryId: undefined, dedupeTtlMs: 1, key: { platform: 'test', chatId: 'c1', userId: 'u1' } });
  return begun.session?.data.flow;
}

describe('attachments per filing', () => {
  it('takes 9 of 12 photos in one message, says the rest were not saved, and moves on', async () => {
    const h = await atPhotos();
    const turn = await send(h, photos(12));
    expect(turn.text).toContain(zh('flow.files_received_full', { count: 9, max: 9 }));
    expect(turn.text).toContain(zh('errors.file.too_many', { max: 9 }));
    const draft = await draftOf(h);
    expect(filesOf(draft?.values['photos']).map((f) => f.fileRef)).toEqual(photos(9).map((p) => p.fileRef));
    expect(draft?.cursor).toEqual({ kind: 'summary' });
  });

  it('refuses photos sent after the field is full with the limit and how to change them; the 9 stay', async () => {
    const h = await atPhotos();
    await send(h, photos(4));
    await send(h, photos(5, 5));
    const before = await draftOf(h);
    expect(filesOf(before?.values['photos'])).toHaveLength(9);
    const late = await send(h, photos(3, 10));
    expect(late.text).toContain(zh('limits.files_full', { field: zh('flows.exhibitor.fields.photos.label'), max: 9, count: 3, n: 8 }));
    expect(await draftOf(h)).toEqual(before);
    // The way out it names works: 修改 8, 清空, and a new photo is taken.
    await h.say('修改 8');
    await h.say('清空');
    const again = await send(h, photos(1, 20));
    expect(again.text).toContain(zh('flow.files_received', { count: 1, total: 1, max: 9 }));
  });

  it('still says "this step needs text" for files at a text field while no file field is full', async () => {
    const h = createHarness();
    harnesses.push(h);
    await h.say('/file exhibitor');
    const turn = await send(h, photos(1));
    expect(turn.text).toContain(zh('flow.needs_text'));
  });

  it('refuses a file over the size limit with the limit named, keeping the others of the message', async () => {
    const h = await atPhotos();
    const huge: InboundAttachment = { kind: 'photo', mime: 'image/jpeg', fileRef: 'huge', name: 'huge.jpg', sizeBytes: 25 * MB };
    const turn = await send(h, [...photos(1), huge, ...photos(1, 2)]);
    expect(turn.text).toContain(`huge.jpg：${zh('errors.file.too_large', { maxMb: 20 })}`);
    expect(filesOf((await draftOf(h))?.values['photos']).map((f) => f.fileRef)).toEqual(['photo-1', 'photo-2']);
  });

  it('applies the same limits to a Slack message with several files (sizes as Slack gives them)', async () => {
    const h = await atPhotos();
    const files: SlackFile[] = Array.from({ length: 10 }, (_, i) => ({ id: `F${i}`, name: `p${i}.png`, mimetype: 'image/png', size: i === 0 ? 30 * MB : 50_000 }));
    const turn = await send(h, toAttachments(files), { user: { id: 'u1', displayName: 'x', localeHint: 'en' } });
    expect(turn.text).toContain(`p0.png: ${en('errors.file.too_large', { maxMb: 20 })}`);
    const kept = filesOf((await draftOf(h))?.values['photos']);
    expect(kept.map((f) => f.fileRef)).toEqual(files.slice(1).map((f) => f.id));
  });

  it('refuses a Slack modal with more photos than allowed, field by field, and files nothing', async () => {
    const h = createHarness();
    harnesses.push(h);
    const values = {
      district: 'shinan',
      exhibitor: '青岛海洋科学馆',
      contactPerson: '王五',
      contactPhone: '13800138000',
      description: EXHIBITOR_ANSWERS[4] ?? '',
      districtContact: '赵六',
      districtContactPhone: '0532-85911893',
    };
    const inbound: Inbound = { ...h.inbound({}), form: { flowId: 'exhibitor', values, files: { photos: toAttachments(Array.from({ length: 10 }, (_, i) => ({ id: `F${i}`, mimetype: 'image/jpeg', size: 1000 }))) } } };
    const replies = await h.handle(inbound);
    expect(replies).toEqual([{ kind: 'form-errors', flowId: 'exhibitor', errors: { photos: zh('errors.file.too_many', { max: 9 }) } }]);
  });
});
