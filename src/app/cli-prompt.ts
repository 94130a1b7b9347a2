/**
 * One line of input for the command line's confirmations (`sciweek purge`): the prompt on stdout,
 * the answer from stdin whether it is a terminal or a pipe. The end of input without a line is no
 * answer, so a script that pipes nothing can never confirm by accident.
 */
import { createInterface } from 'node:readline';

/** Writes `prompt` and resolves with the next line of stdin, or undefined when stdin ends first. */
export async function readLine(prompt: string): Promise<string | undefined> {
  process.stdout.write(prompt);
  const lines = createInterface({ input: process.stdin, terminal: false });
  try {
    return await new Promise<string | undefined>((resolve) => {
      lines.once('line', resolve);
      lines.once('close', () => resolve(undefined));
    });
  } finally {
    lines.close();
    // A piped answer is not echoed: end the prompt's line so what follows starts on its own.
    if (process.stdin.isTTY !== true) process.stdout.write('\n');
  }
}
