import { describe, expect, it } from 'vitest';
import { lazyChild, type Logger } from '../../../src/kernel/logger.js';

function recordingLogger(children: Record<string, unknown>[], lines: string[], bindings: Record<string, unknown> = {}): Logger {
  const write = (level: string) => (obj: object, msg: string) => void lines.push(`${level} ${JSON.stringify({ ...bindings, ...obj })} ${msg}`);
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (more) => {
      children.push(more);
      return recordingLogger(children, lines, { ...bindings, ...more });
    },
  };
}

describe('lazyChild', () => {
  it('makes the child only when something is logged, once, with its bindings', () => {
    const children: Record<string, unknown>[] = [];
    const lines: string[] = [];
    const log = lazyChild(recordingLogger(children, lines), { chatId: '7' });
    expect(children).toEqual([]);
    log.info({ a: 1 }, 'first');
    log.error({}, 'second');
    expect(children).toEqual([{ chatId: '7' }]);
    expect(lines).toEqual(['info {"chatId":"7","a":1} first', 'error {"chatId":"7"} second']);
    log.child({ module: 'x' }).warn({}, 'third');
    expect(lines[2]).toBe('warn {"chatId":"7","module":"x"} third');
  });
});
