/**
 * Q&A benchmark on its own: prints the median time of one answer (and more) as JSON —
 * `npx tsx bench/qa-bench.ts` (QA_BENCH_ROUNDS passes over the question set, default 200). `npm run
 * bench` measures the same as part of the whole report.
 */
import { measureQa } from './qa-timing.js';

process.stdout.write(`${JSON.stringify(measureQa(Number(process.env['QA_BENCH_ROUNDS'] ?? 200)))}\n`);
