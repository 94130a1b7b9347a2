#!/usr/bin/env node
// The `sciweek` command. A compiled build (dist/, made by `npm run build`, as in the Docker image)
// runs directly; otherwise tsx loads the TypeScript sources, so no build step is needed after
// `npm install`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = new URL('../dist/src/cli.js', import.meta.url);
const useCompiled = process.env.SCIWEEK_USE_DIST === '1' && existsSync(fileURLToPath(compiled));
const cli = useCompiled
  ? await import(compiled.href)
  : await (await import('tsx/esm/api')).tsImport('../src/cli.ts', import.meta.url);
await cli.main();
