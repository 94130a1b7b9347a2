#!/usr/bin/env node
// The `sciweek` command. A compiled build (dist/, made by `npm run build`, as in the Docker image)
// runs directly; otherwise tsx loads the TypeScript sources, so no build step is needed after
// `npm install`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// A reader that went away (`| head`) ends the command quietly instead of an EPIPE stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const compiled = new URL('../dist/src/app/cli.js', import.meta.url);
const useCompiled = process.env.SCIWEEK_USE_DIST === '1' && existsSync(fileURLToPath(compiled));
let cli;
try {
  cli = useCompiled
    ? await import(compiled.href)
    : await (await import('tsx/esm/api')).tsImport('../src/app/cli.ts', import.meta.url);
} catch (error) {
  // A data file read while loading (data/qa.json) that is invalid: one clear line, not a stack.
  if (error !== null && typeof error === 'object' && error.code === 'config_invalid') {
    process.stderr.write(`sciweek: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
await cli.main();
