/**
 * A malformed file entry is judged alone: metadata of the wrong type (a size of null, a name that is
 * a number) is dropped and the file taken; a file without a reference is refused with its reason;
 * the field keeps every file it held — at the photo step of the exhibitor form (7 photos there), in
 * a draft already holding a damaged entry, through the real engine on SQLite, and in a Slack modal.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { allFlows } from '../../../flows/index.js';
import { toAttachments } from '../../../src/adapters/slack/to-inbound.js';
import type { InboundAttachment } from '../../../src/domain/inbound.js';
import { checkFile, filesOf, isFilesField } from '../../../src/flow/attachments.js';
import type { JsonValue } from '../../../src/kernel/json.js';
import { createHarness, EXHIBITOR_ANSWERS, toTurn, translate, type Harness, type Turn } from '../../support/engine-harness.js';

const zh = translate('zh-CN');
const en = translate('en');
const photosField = allFlows.find((flow) => flow.id === 'exhibitor')?.fields.find((field) => field.id === 'photos');
if (photosField === undefined || !isFilesField(photosField)) throw new Error('no photo field in the exhibitor form');
const rules = photosField.rules;

const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.cleanup();
});

function photos(count: number): InboundAttachment[] {
  return Array.from({ length: count }, (_, i) => ({ kind: 'photo', mime: 'image/jpeg', fileRef: `photo-${i + 1}`, uniqueId: `u-${i + 1}`, sizeBytes: 100_000 }));
}

/** Metadata as a broken client may send it, past the types. */
function odd(file: Record<string, unknown>): InboundAttachment {
  return file as unknown as InboundAttachment;
}

async function atSevenPhotos(localeHint?: string): Promise<Harness> {
  const h = createHarness();
  harnesses.push(h);
  const sender = localeHint === undefined ? {} : { localeHint };
  await h.say('/file exhibitor', sender);
  for (const answer of EXHIBITOR_ANSWERS) await h.say(answer, sender);
  await send(h, photos(7), localeHint);
  expect(await keptRefs(h)).toHaveLength(7);
  return h;
}

async function send(h: Harness, attachments: InboundAttachment[], localeHint?: string): Promise<Turn> {
  return toTurn(await h.handle({ ...h.inbound({}, localeHint === undefined ? {} : { localeHint }), attachments }));
}

async function keptRefs(h: Harness): Promise<string[]> {
  const begun = await h.store.begin({ deliveryId: undefined, dedupeTtlMs: 1, key: { platform: 'test', chatId: 'c1', userId: 'u1' } });
  return filesOf(begun.session?.data.flow?.values['photos']).map((file) => file.fileRef);
}

describe('one file judged alone', () => {
  it('takes an image document whose size is null, without the size', () => {
    const checked = checkFile(odd({ kind: 'document', fileRef: 'doc-1', name: 'x.png', mime: 'image/png', sizeBytes: null }), rules);
    expect(checked).toEqual({ ok: true, value: { kind: 'document', fileRef: 'doc-1', name: 'x.png', mime: 'image/png' } });
  });

  it('drops every piece of metadata of the wrong type and keeps the rest', () => {
    const checked = checkFile(odd({ kind: 'photo', fileRef: 'p', uniqueId: 7, name: 42, mime: 'image/jpeg', sizeBytes: '1000', durationSeconds: -3 }), rules);
    expect(checked).toEqual({ ok: true, value: { kind: 'photo', fileRef: 'p', mime: 'image/jpeg' } });
    const nan = checkFile(odd({ kind: 'photo', fileRef: 'q', sizeBytes: Number.NaN }), rules);
    expect(nan).toEqual({ ok: true, value: { kind: 'photo', fileRef: 'q' } });
  });

  it('refuses a file without a reference as unreadable, whatever else it says', () => {
    for (const file of [{ kind: 'photo', fileRef: '' }, { kind: 'photo' }, { kind: 'photo', fileRef: 12 }, { kind: 'document', fileRef: null, name: 'a.png', mime: 'image/png' }]) {
      expect(checkFile(odd(file), rules), JSON.stringify(file)).toEqual({ ok: false, error: 'file.unreadable' });
    }
  });

  it('reads kept files one by one: a damaged entry loses its bad metadata, an entry without a reference alone is left out', () => {
    const kept: JsonValue = [
      { kind: 'photo', fileRef: 'a', sizeBytes: 10 },
      { kind: 'document', fileRef: 'b', name: 'b.png', mime: 'image/png', sizeBytes: null },
      { kind: 'photo', fileRef: 'c', name: 5 },
      { kind: 'photo' },
      'not a file',
      { kind: 'nonsense', fileRef: 'd' },
    ];
    expect(filesOf(kept)).toEqual([
      { kind: 'photo', fileRef: 'a', sizeBytes: 10 },
      { kind: 'document', fileRef: 'b', name: 'b.png', mime: 'image/png' },
      { kind: 'photo', fileRef: 'c' },
      { kind: 'other', fileRef: 'd' },
    ]);
    expect(filesOf(null)).toEqual([]);
    expect(filesOf({ a: 1 })).toEqual([]);
  });
});

describe('the photo step with 7 photos, through the engine', () => {
  it('takes an 8th photo sent as a document with a size of null; all 8 are kept', async () => {
    const h = await atSevenPhotos();
    const turn = await send(h, [odd({ kind: 'document', fileRef: 'doc-8', name: 'exhibit.png', mime: 'image/png', sizeBytes: null })]);
    expect(turn.text).toContain(zh('flow.files_received', { count: 1, total: 8, max: 9 }));
    expect(await keptRefs(h)).toEqual([...photos(7).map((p) => p.fileRef), 'doc-8']);
  });

  it('refuses a file without a reference alone, with its reason, and keeps the 7 and the good file of the same message (zh-CN and en)', async () => {
    for (const [locale, t] of [['zh-CN', zh], ['en', en]] as const) {
      const h = await atSevenPhotos(locale);
      const turn = await send(h, [odd({ kind: 'document', name: 'broken.png', mime: 'image/png', sizeBytes: 5 }), ...photos(8).slice(7)], locale);
      expect(turn.text).toContain(`✗ broken.png${t('punctuation.label')}${t('errors.file.unreadable')}`);
      expect(turn.text).toContain(t('flow.files_received', { count: 1, total: 8, max: 9 }));
      expect(await keptRefs(h)).toEqual(photos(8).map((p) => p.fileRef));
    }
  });

  it('keeps every photo of a draft that already holds a damaged entry, and adds the next one', async () => {
    const h = await atSevenPhotos();
    const key = { platform: 'test', chatId: 'c1', userId: 'u1' };
    const begun = await h.store.begin({ deliveryId: undefined, dedupeTtlMs: 1, key });
    const session = begun.session;
    const flow = session?.data.flow;
    if (session === undefined || flow === undefined) throw new Error('no draft');
    // The draft as an earlier version left it: one entry with a size of null among the photos.
    const damaged = [...(flow.values['photos'] as JsonValue[]), { kind: 'document', fileRef: 'old-8', mime: 'image/png', sizeBytes: null }];
    const committed = await h.store.commit({ key, expectedVersion: session.version, data: { ...session.data, flow: { ...flow, values: { ...flow.values, photos: damaged } } }, sessionTtlMs: 60_000 });
    expect(committed.ok).toBe(true);
    const turn = await send(h, photos(9).slice(8));
    expect(turn.text).toContain(zh('flow.files_received_full', { count: 1, max: 9 }));
    expect(turn.text).toContain('相关展品照片：9 个文件');
    expect(await keptRefs(h)).toEqual([...photos(7).map((p) => p.fileRef), 'old-8', 'photo-9']);
  });
});

describe('Slack files of the wrong shape', () => {
  it('keeps a file whose size or name has the wrong type, and marks one without an id as unreadable', () => {
    expect(toAttachments([{ id: 'F1', name: 7, mimetype: 'image/png', size: null }])).toEqual([{ kind: 'photo', fileRef: 'F1', uniqueId: 'F1', mime: 'image/png' }]);
    expect(toAttachments([{ name: 'a.png', mimetype: 'image/png' }, 'x'])).toEqual([
      { kind: 'photo', fileRef: '', name: 'a.png', mime: 'image/png' },
      { kind: 'document', fileRef: '' },
    ]);
    expect(toAttachments('not a list')).toEqual([{ kind: 'document', fileRef: '' }]);
    expect(toAttachments(undefined)).toEqual([]);
    expect(checkFile(toAttachments([{ mimetype: 'image/png' }])[0] ?? odd({}), rules)).toEqual({ ok: false, error: 'file.unreadable' });
  });
});
