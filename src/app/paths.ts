/**
 * Where the project's own files are: `data/`, `locales/` and so on are found from the package
 * root, whether the code runs from `src/` (tsx) or from a compiled `dist/src/`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'locales'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the sciweek-bot package root above ${start}`);
    dir = parent;
  }
}

/** The package root (the folder with package.json, data/ and locales/). */
export const PROJECT_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));

/** The event data file. */
export const EVENT_FILE = path.join(PROJECT_ROOT, 'data', 'event.json');

/** The Q&A data: concepts, synonyms and topics. */
export const QA_FILE = path.join(PROJECT_ROOT, 'data', 'qa.json');

/** The reminder rules. */
export const REMINDERS_FILE = path.join(PROJECT_ROOT, 'data', 'reminders.json');

/** The locales folder. */
export const LOCALES_DIR = path.join(PROJECT_ROOT, 'locales');
