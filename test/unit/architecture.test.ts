import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { architectureConfig } from '../../eslint.architecture.js';
import tseslint from 'typescript-eslint';

const eslint = new ESLint({
  overrideConfigFile: true,
  overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, architectureConfig],
});

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('architecture rule', () => {
  it.each([
    ["import { Bot } from 'grammy';", 'src/core/probe.ts'],
    ["import { App } from '@slack/bolt';", 'src/flow/probe.ts'],
    ["import Redis from 'ioredis';", 'src/core/probe.ts'],
    ["import http from 'node:http';", 'src/qa/probe.ts'],
    ["import Database from 'better-sqlite3';", 'flows/probe.ts'],
    ["import { createSqliteStore } from '../store/sqlite-store.js';", 'src/core/probe.ts'],
  ])('refuses %s in %s', async (code, file) => {
    expect(await problems(file, code)).toContain('no-restricted-imports');
  });

  it('allows the same import in an adapter, and platform-free imports in the core', async () => {
    expect(await problems('src/adapters/telegram/probe.ts', "import { Bot } from 'grammy';")).toEqual([]);
    expect(await problems('src/core/probe.ts', "import { z } from 'zod';\nimport type { Store } from '../store/store.js';")).toEqual([]);
  });
});
