/**
 * Times event Q&A: answers the whole question set (test/unit/qa/questions.ts) many times through
 * the Q&A as the bot builds it at start-up, after a warm-up, and reports the median time of one answer.
 * It exists to keep matching cheap enough (well under a millisecond) to run on every message.
 */
import { performance } from 'node:perf_hooks';
import { createQaContext } from '../test/support/qa-context.js';
import { QUESTIONS } from '../test/unit/qa/questions.js';
import { median, quantile } from './driver.js';

const WARM_UP_ROUNDS = 20;

/** The Q&A timing over `rounds` passes of the question set. */
export function measureQa(rounds: number): { qaMedianMs: number; qaP95Ms: number; questions: number; rounds: number; answers: number; totalMs: number } {
  const ctx = createQaContext();
  const questions = QUESTIONS.map((item) => item.q);
  for (let round = 0; round < WARM_UP_ROUNDS; round += 1) for (const question of questions) ctx.qa.answer(question, ctx.ask);
  const samples: number[] = [];
  const started = performance.now();
  for (let round = 0; round < rounds; round += 1) {
    for (const question of questions) {
      const before = performance.now();
      ctx.qa.answer(question, ctx.ask);
      samples.push(performance.now() - before);
    }
  }
  const totalMs = performance.now() - started;
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    qaMedianMs: Number(median(samples).toFixed(4)),
    qaP95Ms: Number(quantile(sorted, 0.95).toFixed(4)),
    questions: questions.length,
    rounds,
    answers: samples.length,
    totalMs: Math.round(totalMs),
  };
}
