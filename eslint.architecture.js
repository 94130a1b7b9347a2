// The architecture rules, on their own so a test can lint probe files with them.
//
// 1. Layers. `src/` is ordered bottom to top; a module imports only from its own layer and the layers
//    its allow-list names, never upwards, so the module graph has no cycle:
//      kernel → domain → flow, qa, store (side by side) → bot → delivery, adapters, reminders, export,
//      http → app
//    `flows/` (the forms as data) stands on flow. Imports are resolved against the importing file, so
//    `../store/sqlite-store.js` from src/bot is read as the store layer whatever its spelling.
// 2. Platform-free code. Below the adapters nothing imports a platform SDK, a storage client or a
//    network module; only src/store may import ioredis and better-sqlite3.
import path from 'node:path';

/** Each layer and the layers it may import from (besides itself). */
export const LAYERS = {
  kernel: [],
  domain: ['kernel'],
  flow: ['kernel', 'domain'],
  qa: ['kernel', 'domain'],
  store: ['kernel', 'domain'],
  bot: ['kernel', 'domain', 'flow', 'qa', 'store'],
  delivery: ['kernel', 'domain', 'store', 'bot'],
  adapters: ['kernel', 'domain', 'flow', 'bot', 'http'],
  reminders: ['kernel', 'domain', 'store'],
  export: ['kernel', 'domain', 'flow', 'store', 'bot'],
  http: ['kernel'],
  app: ['kernel', 'domain', 'flow', 'qa', 'store', 'bot', 'delivery', 'adapters', 'reminders', 'export', 'http', 'flows'],
  flows: ['kernel', 'domain', 'flow'],
};

const ROOT = path.dirname(new URL(import.meta.url).pathname);

/** The layer of a file (absolute or relative to the repository root), or undefined outside src/ and flows/. */
export function layerOf(file) {
  const relative = path.relative(ROOT, path.resolve(ROOT, file)).split(path.sep);
  if (relative[0] === 'flows') return 'flows';
  if (relative[0] !== 'src') return undefined;
  // A file straight under src/ belongs to no layer (reported as such).
  return relative.length < 3 ? '(src)' : relative[1];
}

const layerRule = {
  meta: {
    type: 'problem',
    docs: { description: 'a module imports only from its own layer and the layers below it that its allow-list names' },
    schema: [],
    messages: {
      upward: '{{from}} may not import {{to}} ({{spec}}): {{from}} may import {{allowed}}.',
      unknown: '{{file}} is in no layer: put it under one of src/{{layers}}.',
    },
  },
  create(context) {
    const file = context.filename;
    const from = layerOf(file);
    if (from === undefined) return {};
    const allowed = LAYERS[from];
    if (allowed === undefined) {
      return {
        Program(node) {
          context.report({ node, messageId: 'unknown', data: { file: path.relative(ROOT, file), layers: Object.keys(LAYERS).join(', ') } });
        },
      };
    }
    const check = (node, source) => {
      if (source === null || source === undefined || source.type !== 'Literal' || typeof source.value !== 'string') return;
      const spec = source.value;
      if (!spec.startsWith('.')) return;
      const to = layerOf(path.resolve(path.dirname(file), spec));
      if (to === undefined || to === from || allowed.includes(to)) return;
      context.report({ node, messageId: 'upward', data: { from, to, spec, allowed: allowed.length === 0 ? 'nothing of src' : allowed.join(', ') } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
    };
  },
};

/** The local plugin holding the layer rule. */
export const architecturePlugin = { rules: { layers: layerRule } };

const platformFree = 'code below the adapters stays platform-free: adapters translate.';

/** Files that must not import platform SDKs, storage clients or network modules. */
export const platformFreeFiles = ['src/kernel/**/*.ts', 'src/domain/**/*.ts', 'src/flow/**/*.ts', 'src/qa/**/*.ts', 'src/bot/**/*.ts', 'src/reminders/**/*.ts', 'src/export/**/*.ts', 'flows/**/*.ts'];

/** The no-restricted-imports options for them. */
export const platformFreeImports = {
  patterns: [
    { group: ['grammy', 'grammy/*', '@grammyjs/*', 'telegraf', 'telegraf/*'], message: platformFree },
    { group: ['@slack/*', '@larksuiteoapi/*', 'dingtalk-stream', '@wecom/*'], message: platformFree },
    { group: ['ioredis', 'redis', 'better-sqlite3'], message: 'storage is reached only through the store interfaces.' },
    {
      group: ['node:http', 'node:https', 'node:http2', 'node:net', 'http', 'https', 'http2', 'net', 'undici'],
      message: 'code below the adapters does no network I/O.',
    },
  ],
};

/** The flat-config entries. @type {import('eslint').Linter.Config[]} */
export const architectureConfig = [
  {
    files: ['src/**/*.ts', 'flows/**/*.ts'],
    plugins: { architecture: architecturePlugin },
    rules: { 'architecture/layers': 'error' },
  },
  { files: platformFreeFiles, rules: { 'no-restricted-imports': ['error', platformFreeImports] } },
];
