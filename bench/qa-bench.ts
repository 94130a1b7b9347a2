/**
 * Q&A benchmark: answers the whole question set many times through `answerQuestion`, with a real
 * TurnContext, and prints the median time of one answer as JSON — `npx tsx bench/qa-bench.ts`.
 * It exists to keep matching cheap enough (well under a millisecond) to run on every message.
 */
import { performance } from 'node:perf_hooks';
import { answerQuestion } from '../src/qa/answer.js';
import { createQaContext } from '../test/unit/qa/qa-context.js';
import { QUESTIONS } from '../test/unit/qa/questions.js';

const ROUNDS = Number(process.env['QA_BENCH_ROUNDS'] ?? 200);
const WARM_UP_ROUNDS = 20;

/** The median of some numbers (which it sorts in place). */
function median(values: number[]): number {
  values.sort((a, b) => a - b);
  const middle = Math.floor(values.length / 2);
  const upper = values[middle] ?? 0;
  return values.length % 2 === 1 ? upper : ((values[middle - 1] ?? upper) + upper) / 2;
}

const ctx = createQaContext();
const questions = QUESTIONS.map((item) => item.q);
for (let round = 0; round < WARM_UP_ROUNDS; round += 1) for (const question of questions) answerQuestion(question, ctx);

const samples: number[] = [];
const started = performance.now();
for (let round = 0; round < ROUNDS; round += 1) {
  for (const question of questions) {
    const before = performance.now();
    answerQuestion(question, ctx);
    samples.push(performance.now() - before);
  }
}
const totalMs = performance.now() - started;
const sorted = [...samples].sort((a, b) => a - b);
const result = {
  qaMedianMs: Number(median(samples).toFixed(4)),
  qaP95Ms: Number((sorted[Math.floor(sorted.length * 0.95)] ?? 0).toFixed(4)),
  questions: questions.length,
  rounds: ROUNDS,
  answers: samples.length,
  totalMs: Math.round(totalMs),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
