/**
 * A raw HTTP/1.1 client for the tests of slow and oversized requests: it writes a request head, then
 * the body (or the rest of the head) in chunks on a schedule, and reports what the server did — the
 * status line, if any came, whether the server closed the connection, and whether the client managed
 * to send everything before it did.
 */
import { connect } from 'node:net';

/** What to send after the head: `count` times `chunk`, one every `everyMs` (0: as fast as the socket takes them). */
export interface RawBody {
  chunk: string | Buffer;
  count: number;
  everyMs: number;
}

/** What happened to a raw request. */
export interface RawOutcome {
  /** The status of the first answer, if one came. */
  status: number | undefined;
  /** The server ended or reset the connection before `waitMs` passed. */
  closedByServer: boolean;
  /** Every chunk was written before the connection closed. */
  allSent: boolean;
  /** How many bytes of the body were written. */
  sentBytes: number;
}

/**
 * Sends `head` and then `body` to 127.0.0.1:`port` (or `host`); resolves when the server closes the
 * connection, or after `waitMs` (then `closedByServer` is false).
 */
export function rawExchange(port: number, head: string, body: RawBody, options: { waitMs: number; host?: string }): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const socket = connect(port, options.host ?? '127.0.0.1');
    let received = '';
    let sent = 0;
    let sentBytes = 0;
    let settled = false;
    let pending: NodeJS.Timeout | undefined;
    const finish = (closedByServer: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(bound);
      clearTimeout(pending);
      socket.destroy();
      const status = /^HTTP\/1\.1 (\d{3})/.exec(received)?.[1];
      resolve({ status: status === undefined ? undefined : Number(status), closedByServer, allSent: sent === body.count, sentBytes });
    };
    const bound = setTimeout(() => finish(false), options.waitMs);
    const next = (): void => {
      if (settled || socket.destroyed || !socket.writable || sent === body.count) return;
      sent += 1;
      sentBytes += Buffer.byteLength(body.chunk);
      const flushed = socket.write(body.chunk);
      if (body.everyMs > 0) pending = setTimeout(next, body.everyMs);
      else if (flushed) setImmediate(next);
      else socket.once('drain', next);
    };
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.on('connect', () => {
      socket.write(head);
      next();
    });
  });
}
