// Lint: typescript-eslint's type-checked rules, plus the architecture rule of DESIGN §4 — the core
// and the flow runtime import no platform SDK, no Redis client and no HTTP module.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const platformImports = {
  patterns: [
    { group: ['grammy', 'grammy/*', '@grammyjs/*'], message: 'core and flow code stay platform-free: adapters translate.' },
    { group: ['@slack/*'], message: 'core and flow code stay platform-free: adapters translate.' },
    { group: ['ioredis', 'redis', 'better-sqlite3'], message: 'core and flow code reach storage only through the Store interface.' },
    { group: ['node:http', 'node:https', 'node:http2', 'http', 'https', 'http2', 'undici', 'node:net'], message: 'core and flow code do no network I/O.' },
    { group: ['**/adapters/**', '**/store/*-store.js', '**/main.js', '**/config.js'], message: 'core and flow code do not depend on adapters, store implementations or the composition root.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'var/**', 'coverage/**', 'bench/results.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js', 'bin/*.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/flow/**/*.ts', 'flows/**/*.ts', 'src/qa/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', platformImports] },
  },
  {
    files: ['bin/*.js', 'eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { process: 'readonly', URL: 'readonly', console: 'readonly' } },
  },
);
