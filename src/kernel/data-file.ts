/**
 * Reading a JSON file of `data/`: a missing file, a byte-order mark or broken JSON is a ConfigError
 * naming the file, so a bad data change stops the start with one clear line.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from './errors.js';
import { parseJsonSafely } from './json.js';

/** The parsed JSON of a data file (not yet validated: callers parse it with their zod schema). */
export function readDataFile(filePath: string): unknown {
  let raw: string;
  try {
    raw = readFileSync(filePath, 'utf8');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ConfigError(`${filePath}: cannot read the file: ${reason}`, { cause: err });
  }
  try {
    return parseJsonSafely(raw.replace(/^\uFEFF/u, ''));
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ConfigError(`${filePath}: not valid JSON: ${reason}`, { cause: err });
  }
}
