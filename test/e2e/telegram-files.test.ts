/**
 * Files through the real grammY adapter: a photo and an image sent as a document reach the
 * exhibitor form's photo field (附件1 相关展品照片) as attachments; a file over the 20 MB limit and a
 * PDF are refused with their reason; 完成 leads to the summary and 提交 to an EX receipt.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { filesOf } from '../../src/flow/attachments.js';
import { buttonLabels, lastOf, startTelegramBot, textOf, type TelegramBot } from '../support/telegram-harness.js';
import { EXHIBITOR_ANSWERS } from '../support/engine-harness.js';

const MB = 1024 * 1024;
const CHAT = 6101;


let running: TelegramBot[] = [];
afterEach(async () => {
  await Promise.allSettled(running.map((bot) => bot.close()));
  running = [];
});

describe('telegram files', () => {
  it('takes a photo and an image document, refuses an oversized file and a PDF, then files the exhibitor form', async () => {
    const bot = await startTelegramBot({ mode: 'polling' });
    running.push(bot);
    await bot.say(CHAT, CHAT, '/file exhibitor');
    let last = await bot.say(CHAT, CHAT, EXHIBITOR_ANSWERS[0] ?? '');
    for (const answer of EXHIBITOR_ANSWERS.slice(1)) last = await bot.say(CHAT, CHAT, answer);
    expect(textOf(last)).toContain('（8/8） 相关展品照片');

    const photo = bot.api.photoMessage({ chatId: CHAT, fromId: CHAT, width: 1600, height: 1200 });
    const photoId = photo.message?.photo?.at(-1)?.file_id;
    const afterPhoto = await bot.send(CHAT, photo);
    expect(textOf(afterPhoto)).toContain('收到 1 个文件，共 1 个（最多 9 个）');
    expect(buttonLabels(lastOf(afterPhoto))).toEqual(expect.arrayContaining(['完成', '清空']));

    const image = bot.api.documentMessage({ chatId: CHAT, fromId: CHAT, fileName: 'exhibit.png', mimeType: 'image/png', fileSize: 2 * MB });
    const imageId = image.message?.document?.file_id;
    const afterImage = await bot.send(CHAT, image);
    expect(textOf(afterImage)).toContain('收到 1 个文件，共 2 个');

    const huge = await bot.send(
      CHAT,
      bot.api.documentMessage({ chatId: CHAT, fromId: CHAT, fileName: 'huge.jpg', mimeType: 'image/jpeg', fileSize: 25 * MB }),
    );
    expect(textOf(huge)).toContain('收到 0 个文件，共 2 个');
    expect(textOf(huge)).toContain('huge.jpg：文件太大，不能超过 20 MB');

    const pdf = await bot.send(
      CHAT,
      bot.api.documentMessage({ chatId: CHAT, fromId: CHAT, fileName: 'brochure.pdf', mimeType: 'application/pdf', fileSize: 300_000 }),
    );
    expect(textOf(pdf)).toContain('收到 0 个文件，共 2 个');
    expect(textOf(pdf)).toContain('brochure.pdf：文件类型不符合要求');

    const video = await bot.send(CHAT, bot.api.videoMessage({ chatId: CHAT, fromId: CHAT, duration: 30, fileName: 'exhibit.mp4', fileSize: MB }));
    expect(textOf(video)).toContain('收到 0 个文件，共 2 个');
    expect(textOf(video)).toContain('exhibit.mp4：文件类型不符合要求');

    // The draft holds exactly the two accepted files, by their Telegram file ids.
    const kept = filesOf((await bot.session(CHAT, CHAT))?.flow?.values.photos);
    expect(kept.map((file) => file.fileRef)).toEqual([photoId, imageId]);
    expect(kept.map((file) => file.kind)).toEqual(['photo', 'document']);
    expect(kept[1]).toMatchObject({ name: 'exhibit.png', mime: 'image/png', sizeBytes: 2 * MB });

    const summary = await bot.say(CHAT, CHAT, '完成');
    expect(textOf(summary)).toContain('请核对附件1 启动式参展信息表');
    expect(textOf(summary)).toContain('8. 相关展品照片：2 个文件');
    expect(textOf(summary)).toContain('exhibit.png');

    const submitted = await bot.press(CHAT, CHAT, '提交');
    const receipt = /回执号：(EX-[0-9A-Z]{10})/.exec(textOf(submitted.replies))?.[1];
    expect(receipt, textOf(submitted.replies)).toBeDefined();
    const filing = receipt === undefined ? undefined : await bot.app.store.getFiling(receipt);
    expect(filesOf(filing?.values.photos).map((file) => file.fileRef)).toEqual([photoId, imageId]);
  });
});
