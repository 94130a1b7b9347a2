/**
 * Prometheus metrics (prom-client): updates handled, errors, handling latency, store round trips and
 * reminder outcomes. One registry per app, so tests and several apps in one process don't collide.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { EngineObserver } from '../bot/engine.js';

/** The app's metrics and the hooks that feed them. */
export interface Metrics {
  registry: Registry;
  /** Feeds the update counters and the latency histogram from the engine. */
  observer: EngineObserver;
  /** Counts one store round trip of the named operation. */
  storeRoundTrip(operation: string): void;
  /** Counts one reminder outcome (sent, failed, skipped, …). */
  reminderOutcome(outcome: string): void;
}

/** Creates the metrics on a fresh registry; `withDefaults` adds the process metrics (CPU, memory, GC). */
export function createMetrics(options: { withDefaults?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.withDefaults === true) collectDefaultMetrics({ register: registry, prefix: 'sciweek_' });
  const updates = new Counter({
    name: 'sciweek_updates_total',
    help: 'Messages handled, by platform and outcome (ok, duplicate, conflict, store_error, error).',
    labelNames: ['platform', 'outcome'] as const,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'sciweek_errors_total',
    help: 'Messages that ended in an error reply, by platform and kind.',
    labelNames: ['platform', 'kind'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'sciweek_update_duration_seconds',
    help: 'Time to handle one message, store included.',
    labelNames: ['platform'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const roundTrips = new Counter({
    name: 'sciweek_store_round_trips_total',
    help: 'Store calls, each one round trip, by operation.',
    labelNames: ['operation'] as const,
    registers: [registry],
  });
  const reminders = new Counter({
    name: 'sciweek_reminder_outcomes_total',
    help: 'Reminder sends by outcome.',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  return {
    registry,
    observer: {
      handled({ platform, outcome, durationMs }) {
        updates.inc({ platform, outcome });
        if (outcome === 'error' || outcome === 'store_error') errors.inc({ platform, kind: outcome });
        latency.observe({ platform }, durationMs / 1000);
      },
    },
    storeRoundTrip: (operation) => roundTrips.inc({ operation }),
    reminderOutcome: (outcome) => reminders.inc({ outcome }),
  };
}
