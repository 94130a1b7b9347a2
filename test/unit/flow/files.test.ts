/**
 * File fields in the pure runner: the exhibitor's photos (1–9, images only, ≤ 20 MB) and a video
 * field with a length limit, fed files as a platform adapter would.
 */
import { describe, expect, it } from 'vitest';
import { allFlows } from '../../../flows/index.js';
import type { InboundAttachment } from '../../../src/domain/inbound.js';
import { toPlainText } from '../../../src/domain/reply.js';
import { checkFile, filesField, isFilesField } from '../../../src/flow/attachments.js';
import { defineFlow } from '../../../src/flow/define.js';
import { startFlow, stepFlow, type FlowInput } from '../../../src/flow/runner.js';
import type { FlowState } from '../../../src/domain/draft.js';
import { runnerContext, translate } from '../../support/engine-harness.js';

const ctx = runnerContext('zh-CN');
const zh = translate('zh-CN');
const exhibitor = allFlows.find((flow) => flow.id === 'exhibitor');
if (exhibitor === undefined) throw new Error('exhibitor flow missing');
const MB = 1024 * 1024;

function photo(n: number, sizeBytes = MB): InboundAttachment {
  return { kind: 'photo', fileRef: `photo-${n}`, uniqueId: `u-${n}`, mime: 'image/jpeg', sizeBytes };
}

function step(state: FlowState, input: FlowInput, flow = exhibitor): { state: FlowState; text: string; kind: string } {
  const outcome = stepFlow(flow!, state, input, ctx);
  if (outcome.kind !== 'continue') return { state, text: '', kind: outcome.kind };
  return { state: outcome.state, text: outcome.replies.map(toPlainText).join('\n'), kind: outcome.kind };
}

/** An exhibitor draft asking for the photos. */
function atPhotos(): FlowState {
  const started = startFlow(exhibitor!, ctx, {
    target: { kind: 'new' },
    values: {
      district: 'shinan',
      exhibitor: '青岛海洋科学馆',
      contactPerson: '李四',
      contactPhone: '13800138000',
      description: '展示深海探测器模型和海洋生物标本，观众可以操作互动屏幕体验深潜。',
      districtContact: '王五',
      districtContactPhone: '0532-85911893',
    },
  });
  expect(started.state.cursor).toEqual({ kind: 'field', fieldId: 'photos' });
  return started.state;
}

describe('photos of the exhibitor form', () => {
  it('takes photos and image documents, refuses a PDF and an oversized file with the limit named', () => {
    const files: InboundAttachment[] = [
      photo(1),
      { kind: 'document', fileRef: 'doc-png', name: '展品.PNG', mime: 'image/png', sizeBytes: 2 * MB },
      { kind: 'document', fileRef: 'doc-pdf', name: '说明.pdf', mime: 'application/pdf', sizeBytes: MB },
      { kind: 'document', fileRef: 'doc-big', name: '大图.jpg', mime: 'image/jpeg', sizeBytes: 25 * MB },
    ];
    const after = step(atPhotos(), { kind: 'files', files });
    expect(after.text).toContain(zh('flow.files_received', { count: 2, total: 2, max: 9 }));
    expect(after.text).toContain(`说明.pdf：${zh('errors.file.wrong_type')}`);
    expect(after.text).toContain(`大图.jpg：${zh('errors.file.too_large', { maxMb: 20 })}`);
    expect(after.state.cursor).toEqual({ kind: 'field', fieldId: 'photos' });
    expect((after.state.values['photos'] as unknown[]).length).toBe(2);
  });

  it('moves on with 完成 once it has a photo, and refuses 完成 with none', () => {
    const none = step(atPhotos(), { kind: 'text', text: '完成' });
    expect(none.text).toContain(zh('errors.file.too_few', { min: 1 }));
    const one = step(atPhotos(), { kind: 'files', files: [photo(1)] });
    const done = step(one.state, { kind: 'text', text: '完成' });
    expect(done.state.cursor).toEqual({ kind: 'summary' });
    expect(done.text).toContain('8. 相关展品照片：1 个文件');
  });

  it('moves on by itself at nine photos and keeps no tenth', () => {
    const files = Array.from({ length: 10 }, (_, i) => photo(i));
    const after = step(atPhotos(), { kind: 'files', files });
    expect(after.state.cursor).toEqual({ kind: 'summary' });
    expect((after.state.values['photos'] as unknown[]).length).toBe(9);
    expect(after.text).toContain(zh('errors.file.too_many', { max: 9 }));
  });

  it('answers text at the photo field with what it expects, and 清空 starts over', () => {
    const text = step(atPhotos(), { kind: 'text', text: '照片稍后发' });
    expect(text.text).toContain(zh('errors.file.expected'));
    const two = step(atPhotos(), { kind: 'files', files: [photo(1), photo(2)] });
    const cleared = step(two.state, { kind: 'text', text: '清空' });
    expect(cleared.state.values['photos']).toEqual([]);
    expect(cleared.state.cursor).toEqual({ kind: 'field', fieldId: 'photos' });
  });

  it('refuses files at a text field', () => {
    const started = startFlow(exhibitor, ctx, { target: { kind: 'new' } });
    const after = step(started.state, { kind: 'files', files: [photo(1)] });
    expect(after.text).toContain(zh('flow.needs_text'));
    expect(after.state.values).toEqual(started.state.values);
  });
});

describe('a video with a length limit', () => {
  const videoFlow = defineFlow({
    id: 'exhibitor',
    version: 1,
    receiptPrefix: 'VD',
    titleField: 'video',
    fields: [filesField('video', { column: '影像资料', rules: { kinds: ['video'], maxSizeBytes: 20 * MB, minCount: 1, maxCount: 1, maxDurationSeconds: 180 } })],
  });
  const start = (): FlowState => startFlow(videoFlow, ctx, { target: { kind: 'new' } }).state;
  const video = (durationSeconds?: number): InboundAttachment => ({
    kind: 'video',
    fileRef: 'v',
    mime: 'video/mp4',
    sizeBytes: MB,
    ...(durationSeconds === undefined ? {} : { durationSeconds }),
  });

  it('refuses a video over three minutes, naming both lengths', () => {
    const after = step(start(), { kind: 'files', files: [video(181)] }, videoFlow);
    expect(after.text).toContain(zh('errors.file.video_too_long', { maxMinutes: 3, seconds: 181 }));
    expect(after.state.cursor).toEqual({ kind: 'field', fieldId: 'video' });
  });

  it('takes a video of exactly three minutes', () => {
    const after = step(start(), { kind: 'files', files: [video(180)] }, videoFlow);
    expect(after.state.cursor).toEqual({ kind: 'summary' });
  });

  it('takes a video of unknown length with a note that staff will check it', () => {
    const after = step(start(), { kind: 'files', files: [video()] }, videoFlow);
    expect(after.text).toContain(zh('flow.video_unchecked', { maxMinutes: 3 }));
    expect(after.state.values['video']).toEqual([{ kind: 'video', fileRef: 'v', mime: 'video/mp4', sizeBytes: MB, durationUnchecked: true }]);
  });

  it('marks a video sent as a file to the summary report for staff to check its length', () => {
    const video = allFlows.find((f) => f.id === 'summary-report')?.fields.find((f) => f.id === 'video');
    if (video === undefined || !isFilesField(video)) throw new Error('no video field in the summary report');
    const checked = checkFile({ kind: 'document', fileRef: 'f', name: 'week.webm', mime: 'video/webm', sizeBytes: 1000 }, video.rules);
    expect(checked).toMatchObject({ ok: true, value: { durationUnchecked: true } });
    const tooLong = checkFile({ kind: 'document', fileRef: 'g', name: 'long.mp4', mime: 'video/mp4', sizeBytes: 1000, durationSeconds: 200 }, video.rules);
    expect(tooLong).toMatchObject({ ok: false, error: 'file.video_too_long' });
  });
});
