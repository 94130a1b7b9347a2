// The architecture rule of DESIGN §4, on its own so a test can lint probe files with it: the core, the
// flow runtime, Q&A and the flows import no platform SDK, no storage client and no network module.

const platformFree = 'core and flow code stay platform-free: adapters translate.';

/** Files the rule covers. */
export const platformFreeFiles = ['src/core/**/*.ts', 'src/flow/**/*.ts', 'src/qa/**/*.ts', 'flows/**/*.ts'];

/** The no-restricted-imports options of the rule. */
export const platformFreeImports = {
  patterns: [
    { group: ['grammy', 'grammy/*', '@grammyjs/*', 'telegraf', 'telegraf/*'], message: platformFree },
    { group: ['@slack/*'], message: platformFree },
    { group: ['ioredis', 'redis', 'better-sqlite3'], message: 'core and flow code reach storage only through the Store interface.' },
    {
      group: ['node:http', 'node:https', 'node:http2', 'node:net', 'http', 'https', 'http2', 'net', 'undici'],
      message: 'core and flow code do no network I/O.',
    },
    {
      group: ['**/adapters/**', '**/store/*-store.js', '**/main.js', '**/config.js'],
      message: 'core and flow code do not depend on adapters, store implementations or the composition root.',
    },
  ],
};

/** The flat-config entry. @type {import('eslint').Linter.Config} */
export const architectureConfig = {
  files: platformFreeFiles,
  rules: { 'no-restricted-imports': ['error', platformFreeImports] },
};
