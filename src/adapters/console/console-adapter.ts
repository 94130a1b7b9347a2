/**
 * The console chat: a person can try everything locally with no platform token. On a terminal it
 * is an interactive chat; with piped stdin it reads one message a line (`\n` and `\t` inside a line
 * stand for a line break and a tab), prints only the replies, and returns at end of input.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { MessageHandler } from '../../bot/engine.js';
import type { Inbound } from '../../domain/inbound.js';
import { inPrivateChat, type Button } from '../../domain/reply.js';
import { attachLocalFile } from './attach.js';
import { renderText } from './render-text.js';

/** Who is talking and where the chat reads and writes. */
export interface ConsoleOptions {
  handler: MessageHandler;
  input: Readable;
  output: Writable;
  /** True on a terminal: a prompt, ANSI bold, and a greeting at start. */
  interactive: boolean;
  user: { id: string; displayName: string; localeHint?: string };
  /** Shown once before the greeting on a terminal. */
  banner?: string;
  /** The console's own words (`/attach` of a file that does not exist). */
  fileNotFound?: (filePath: string) => string;
}

/**
 * Turns a typed line into an inbound message: the two characters `\n` and `\t` stand for a line
 * break and a tab (pasted tables); a bare number picks the numbered option.
 */
export function toConsoleInbound(line: string, options: readonly Button[], user: ConsoleOptions['user'], sequence: number): Inbound {
  const text = line.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
  const number = /^\s*(\d{1,2})\s*$/.exec(text)?.[1];
  const picked = number === undefined ? undefined : options[Number(number) - 1];
  const base: Inbound = {
    platform: 'console',
    chat: { id: user.id, kind: 'private' },
    user,
    deliveryId: `console-${process.pid}-${Date.now()}-${sequence}`,
    receivedAt: new Date(),
  };
  return picked === undefined ? { ...base, text } : { ...base, action: picked.payload };
}

/** Runs the chat until the input ends. */
export async function runConsole(options: ConsoleOptions): Promise<void> {
  const { handler, output, interactive } = options;
  const rl = createInterface({ input: options.input, ...(interactive ? { output, prompt: '> ' } : {}), terminal: interactive });
  let lastOptions: Button[] = [];
  let sequence = 0;
  let closed = false;
  // A reader that went away (`| head`) ends the chat quietly instead of crashing on EPIPE.
  output.on('error', () => {
    closed = true;
    rl.close();
  });

  const say = async (inbound: Inbound): Promise<void> => {
    // The console is a private chat: replies meant for the asker alone are simply shown.
    const replies = inPrivateChat(await handler(inbound));
    const rendered = replies.map((reply) => renderText(reply, interactive));
    const numbered = rendered.filter((r) => r.options.length > 0).at(-1);
    if (numbered !== undefined) lastOptions = numbered.options;
    else if (replies.length > 0) lastOptions = [];
    if (closed) return;
    for (const part of rendered) output.write(`${part.text}\n${interactive ? '\n' : ''}`);
  };

  if (interactive) {
    if (options.banner !== undefined) output.write(`${options.banner}\n\n`);
    await say(toConsoleInbound('/start', [], options.user, sequence++));
    rl.prompt();
  }
  for await (const line of rl) {
    if (closed) break;
    const attach = /^\s*\/attach\s+(.+)$/.exec(line);
    if (attach?.[1] !== undefined) {
      const file = await attachLocalFile(attach[1]);
      if (file === undefined) output.write(`${options.fileNotFound?.(attach[1]) ?? attach[1]}\n`);
      else await say({ ...toConsoleInbound('', [], options.user, sequence++), attachments: [file] });
      if (interactive) rl.prompt();
      continue;
    }
    await say(toConsoleInbound(line, lastOptions, options.user, sequence++));
    if (interactive) rl.prompt();
  }
}
