/**
 * The architecture rules: the layer order of src/ (each layer imports only what its allow-list
 * names, resolved against the importing file) and platform-free code below the adapters. Probe files
 * are linted with the same config the project lints with.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { architectureConfig, LAYERS, layerOf } from '../../eslint.architecture.js';
import tseslint from 'typescript-eslint';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const eslint = new ESLint({
  cwd: ROOT,
  overrideConfigFile: true,
  overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...architectureConfig],
});

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? ''}: ${m.message}`);
}

describe('layer rule', () => {
  it.each([
    ["import { routeMessage } from '../bot/router.js';", 'src/kernel/probe.ts', 'kernel may not import bot'],
    ["import type { Store } from '../store/store.js';", 'src/domain/probe.ts', 'domain may not import store'],
    ["import { createRedisClient } from '../store/redis-client.js';", 'src/flow/probe.ts', 'flow may not import store'],
    ["import { createDispatcher } from '../reminders/dispatcher.js';", 'src/bot/probe.ts', 'bot may not import reminders'],
    ["import { exportFilings } from '../export/index.js';", 'src/bot/probe.ts', 'bot may not import export'],
    ["import type { App } from '../app/app.js';", 'src/qa/probe.ts', 'qa may not import app'],
    ["import { createTelegramAdapter } from '../adapters/telegram/telegram-adapter.js';", 'src/reminders/probe.ts', 'reminders may not import adapters'],
    ["import { createEngine } from '../../bot/engine.js';", 'src/store/sub/probe.ts', 'store may not import bot'],
    ["export { createEngine } from '../bot/engine.js';", 'src/domain/probe.ts', 'domain may not import bot'],
    ["const m = await import('../app/service.js');", 'src/bot/probe.ts', 'bot may not import app'],
    ["import { stepFlow } from '../src/flow/runner.js';\nimport { createApp } from '../src/app/app.js';", 'flows/probe.ts', 'flows may not import app'],
  ])('refuses %s in %s', async (code, file, message) => {
    expect((await problems(file, code)).join('\n')).toContain(message);
  });

  it('allows imports downwards and within a layer', async () => {
    expect(await problems('src/bot/probe.ts', "import type { Store } from '../store/store.js';\nimport { textReply } from '../domain/reply.js';\nimport { x } from './turn.js';")).toEqual([]);
    expect(await problems('src/adapters/telegram/probe.ts', "import type { MessageHandler } from '../../bot/engine.js';\nimport { Bot } from 'grammy';")).toEqual([]);
    expect(await problems('src/app/probe.ts', "import { createDispatcher } from '../reminders/dispatcher.js';\nimport { allFlows } from '../../flows/index.js';")).toEqual([]);
  });

  it('refuses a file straight under src/, which belongs to no layer', async () => {
    expect((await problems('src/probe.ts', "export const x = 1;")).join('\n')).toContain('is in no layer');
  });

  it('names every folder of src/ as a layer, with allow-lists that only point at layers', () => {
    const folders = readdirSync(path.join(ROOT, 'src'), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    for (const folder of folders) expect(Object.keys(LAYERS)).toContain(folder);
    for (const allowed of Object.values(LAYERS)) for (const layer of allowed) expect(Object.keys(LAYERS)).toContain(layer);
    expect(layerOf('src/bot/engine.ts')).toBe('bot');
    expect(layerOf('flows/exhibitor.ts')).toBe('flows');
    expect(layerOf('test/unit/x.test.ts')).toBeUndefined();
  });

  it('has no cycle: following the allow-lists never comes back to where it started', () => {
    const visit = (layer: string, seen: readonly string[]): void => {
      expect(seen).not.toContain(layer);
      for (const next of LAYERS[layer as keyof typeof LAYERS]) visit(next, [...seen, layer]);
    };
    for (const layer of Object.keys(LAYERS)) visit(layer, []);
  });
});

describe('platform-free rule', () => {
  it.each([
    ["import { Bot } from 'grammy';", 'src/bot/probe.ts'],
    ["import { App } from '@slack/bolt';", 'src/flow/probe.ts'],
    ["import Redis from 'ioredis';", 'src/domain/probe.ts'],
    ["import http from 'node:http';", 'src/qa/probe.ts'],
    ["import Database from 'better-sqlite3';", 'flows/probe.ts'],
    ["import { Bot } from 'grammy';", 'src/reminders/probe.ts'],
  ])('refuses %s in %s', async (code, file) => {
    expect((await problems(file, code)).join('\n')).toContain('no-restricted-imports');
  });

  it('allows the SDK in an adapter and the storage client in the store', async () => {
    expect(await problems('src/adapters/telegram/probe.ts', "import { Bot } from 'grammy';")).toEqual([]);
    expect(await problems('src/store/probe.ts', "import Redis from 'ioredis';")).toEqual([]);
  });
});

describe('the module graph of src/', () => {
  /** Edges between the top-level modules of src/ (its folders, and any file straight under it). */
  function topLevelEdges(): Map<string, Set<string>> {
    const edges = new Map<string, Set<string>>();
    const top = (file: string): string => path.relative(path.join(ROOT, 'src'), file).split(path.sep)[0] ?? '';
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(path.join(dir, entry.name)) : entry.name.endsWith('.ts') ? [path.join(dir, entry.name)] : []));
    for (const file of walk(path.join(ROOT, 'src'))) {
      const code = readFileSync(file, 'utf8');
      for (const match of code.matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)) {
        const target = path.resolve(path.dirname(file), match[1] ?? '');
        if (!target.startsWith(path.join(ROOT, 'src') + path.sep)) continue;
        const [a, b] = [top(file), top(target)];
        if (a !== b) edges.set(a, (edges.get(a) ?? new Set()).add(b));
      }
    }
    return edges;
  }

  it('has no cycle, and every edge is one the layer rule allows', () => {
    const edges = topLevelEdges();
    expect(edges.size).toBeGreaterThan(5);
    for (const [from, targets] of edges) for (const to of targets) expect(LAYERS[from as keyof typeof LAYERS], `${from} → ${to}`).toContain(to);
    const state = new Map<string, 'open' | 'done'>();
    const visit = (node: string, trail: string[]): void => {
      if (state.get(node) === 'done') return;
      expect(state.get(node), `cycle: ${[...trail, node].join(' → ')}`).not.toBe('open');
      state.set(node, 'open');
      for (const next of edges.get(node) ?? []) visit(next, [...trail, node]);
      state.set(node, 'done');
    };
    for (const node of edges.keys()) visit(node, []);
  });
});
