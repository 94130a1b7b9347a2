/**
 * Shows one user's whole filing through a target, reply by reply, so a person can see that every step
 * gets the expected answer (a benchmark of error replies would be worthless):
 * `npx tsx bench/check-workload.ts <ours|telegraf|grammyConversations> [redis url]`. The db is flushed
 * before and after.
 */
import { Redis } from 'ioredis';
import { createTarget, isTargetName } from './targets/index.js';
import { SCRIPT, userScripts } from './workload.js';

const [name, url = 'redis://127.0.0.1:6379/12'] = process.argv.slice(2);
if (name === undefined || !isTargetName(name)) throw new Error('usage: tsx bench/check-workload.ts <ours|telegraf|grammyConversations> [redis url]');
const admin = new Redis(url);
await admin.flushdb();
const target = await createTarget(name, { redisUrl: url });
try {
  await target.init();
  target.api.recording = true;
  const [updates = []] = userScripts(0, 1);
  for (const [step, update] of updates.entries()) {
    const before = target.api.sent.length;
    await target.handle(update);
    const replies = target.api.sent.slice(before).map((text) => text.replace(/\s+/g, ' ').slice(0, 160));
    process.stdout.write(`${step} > ${SCRIPT[step] ?? ''}\n${replies.map((text) => `    < ${text}`).join('\n')}\n`);
  }
  process.stdout.write(`receipts: ${target.api.count('receipts')}, rejections: ${target.api.count('rejections')}\n`);
} finally {
  await target.close();
  await admin.flushdb();
  admin.disconnect();
}
