/**
 * The adapter kit's intake: it takes updates only while open, and its bounded stop either lets the
 * work in flight and the outbound queues finish within the grace, or abandons the waiting sends
 * after it — logging what was abandoned — and then waits for the rest to end.
 */
import { describe, expect, it } from 'vitest';
import { createIntake, type DrainTarget } from '../../../../src/adapters/kit/intake.js';
import type { AbandonReport } from '../../../../src/adapters/kit/ledger.js';

/** A promise and its resolver. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Outbound queues that stay busy until abandoned or let go; `events` records what happened, in order. */
function busyOutbound(events: string[], report: AbandonReport): DrainTarget & { letGo(): void } {
  const sending = deferred();
  return {
    idle: async () => {
      await sending.promise;
      events.push('outbound idle');
    },
    abandon: () => {
      events.push('abandoned');
      sending.resolve();
      return report;
    },
    letGo: () => sending.resolve(),
  };
}

function recordingLog(events: string[]): { warn(obj: object, msg: string): void; lines: { obj: object; msg: string }[] } {
  const lines: { obj: object; msg: string }[] = [];
  return {
    lines,
    warn: (obj, msg) => {
      lines.push({ obj, msg });
      events.push(msg);
    },
  };
}

describe('kit intake', () => {
  it('accepts only between open and close, and forgets tracked work once it settles', async () => {
    const events: string[] = [];
    const intake = createIntake({ outbound: busyOutbound(events, { chats: 0, messages: 0, byChat: {} }), log: recordingLog(events) });
    expect(intake.accepting).toBe(false);
    intake.open();
    expect(intake.accepting).toBe(true);
    const work = deferred();
    expect(intake.track(work.promise)).toBe(work.promise);
    intake.close();
    expect(intake.accepting).toBe(false);
    work.resolve();
    await work.promise;
  });

  it('lets the work in flight and the sends finish within the grace, abandoning nothing', async () => {
    const events: string[] = [];
    const outbound = busyOutbound(events, { chats: 0, messages: 0, byChat: {} });
    const log = recordingLog(events);
    const intake = createIntake({ outbound, log });
    intake.open();
    const work = deferred();
    void intake.track(work.promise).then(() => events.push('work done'));
    const drained = intake.drain(60_000).then(() => events.push('drained'));
    expect(intake.accepting).toBe(false);
    work.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    outbound.letGo();
    await drained;
    expect(events).toEqual(['work done', 'outbound idle', 'drained']);
    expect(log.lines).toEqual([]);
  });

  it('abandons the waiting sends after the grace, logs what they were, and then waits for the rest', async () => {
    const events: string[] = [];
    const report = { chats: 2, messages: 3, byChat: { '6701': 2, '6702': 1 } };
    const log = recordingLog(events);
    const intake = createIntake({ outbound: busyOutbound(events, report), log });
    intake.open();
    await intake.drain(20);
    expect(events).toEqual(['abandoned', 'replies abandoned at shutdown', 'outbound idle']);
    expect(log.lines).toEqual([{ obj: report, msg: 'replies abandoned at shutdown' }]);
  });
});
