/**
 * The clock. Deadlines, locks and reminders all ask it for "now", so tests and demos can start the
 * bot at any moment of the event (`SCIWEEK_NOW`) and time still moves on from there.
 */

/** A source of the current time. */
export interface Clock {
  now(): Date;
}

/** The machine's clock. */
export function createSystemClock(): Clock {
  return { now: () => new Date() };
}

/** A clock that reads `start` at creation and then advances with real time. */
export function createShiftedClock(start: Date, realNow: () => number = Date.now): Clock {
  const offsetMs = start.getTime() - realNow();
  return { now: () => new Date(realNow() + offsetMs) };
}

/** A clock that stands still until `set` moves it; for tests. */
export function createManualClock(start: Date): Clock & { set(next: Date): void } {
  let current = new Date(start.getTime());
  return {
    now: () => new Date(current.getTime()),
    set: (next: Date) => {
      current = new Date(next.getTime());
    },
  };
}
