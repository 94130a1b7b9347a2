/**
 * Socket Mode that acknowledges an envelope only once the app is done with it — what the HTTP receiver
 * does with `processBeforeResponse`. Bolt's own Socket Mode receiver acks an Events API envelope
 * before any listener runs, so an event the bot could not keep would be lost; here every ack the app
 * gives (Bolt's automatic one for events, a listener's for commands and interactions) is held until
 * the app's processing resolves, and then sent. When it rejects, nothing is sent: Slack delivers an
 * unacknowledged event again, and tells the user of an unacknowledged command or button that it
 * failed. The connection itself (tickets, pings, reconnects) stays Bolt's receiver's.
 */
import type { App, Receiver, ReceiverEvent, SocketModeReceiver } from '@slack/bolt';
import type { Logger } from '../../kernel/logger.js';

/** What the Socket Mode client emits for each envelope (`slack_event`). */
interface SlackEventArgs {
  ack: (response?: Record<string, unknown>) => Promise<void>;
  envelope_id: string;
  body: Record<string, unknown>;
  retry_num?: number;
  retry_reason?: string;
}

/** A receiver whose stop lets the envelopes being processed finish (and be acked) first. */
export interface DeferredAckReceiver extends Receiver {
  start(): Promise<unknown>;
  /** Waits at most `graceMs` for the envelopes in hand, then disconnects. */
  stop(graceMs?: number): Promise<unknown>;
}

/** The custom property naming an update's envelope (its delivery id in Socket Mode). */
export const ENVELOPE_ID = 'envelopeId';

/** Wraps Bolt's Socket Mode receiver so it acknowledges envelopes after processing them. */
export function deferAcks(inner: SocketModeReceiver, log: Logger): DeferredAckReceiver {
  let app: App | undefined;
  const inHand = new Set<Promise<void>>();

  async function dispatch(args: SlackEventArgs): Promise<void> {
    // The app's ack, kept: `{ body }` once given.
    let given: { body: Record<string, unknown> | undefined } | undefined;
    const event: ReceiverEvent = {
      body: args.body,
      ack: (response?: Record<string, unknown>) => {
        if (given === undefined) given = { body: response };
        else log.warn({ envelopeId: args.envelope_id }, 'slack envelope acknowledged twice; the second is ignored');
        return Promise.resolve();
      },
      customProperties: { [ENVELOPE_ID]: args.envelope_id },
      ...(args.retry_num === undefined ? {} : { retryNum: args.retry_num }),
      ...(args.retry_reason === undefined ? {} : { retryReason: args.retry_reason }),
    };
    try {
      if (app === undefined) throw new Error('receiver not initialised');
      await app.processEvent(event);
    } catch (err) {
      log.warn({ err, envelopeId: args.envelope_id }, 'slack envelope not acknowledged; Slack may send it again');
      return;
    }
    if (given === undefined) return;
    await args.ack(given.body).catch((err: unknown) => log.warn({ err, envelopeId: args.envelope_id }, 'slack envelope ack not sent'));
  }

  // Bolt's receiver registered its acking listener when it was built; this one takes its place.
  inner.client.removeAllListeners('slack_event');
  inner.client.on('slack_event', (args: SlackEventArgs) => {
    const done = dispatch(args);
    inHand.add(done);
    void done.finally(() => inHand.delete(done));
  });

  return {
    init(given: App) {
      app = given;
      inner.init(given);
    },
    start: () => inner.start(),
    async stop(graceMs = 0) {
      if (inHand.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
        await Promise.race([Promise.allSettled([...inHand]), late]);
        clearTimeout(timer);
      }
      return inner.stop();
    },
  };
}
