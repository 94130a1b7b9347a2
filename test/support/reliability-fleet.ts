/**
 * The service instances of a reliability test: each one `node bin/sciweek.js` (spawnService) on the
 * test's store, webhook on a port of its own or long polling, killed with SIGKILL and started again on
 * the same port and store. Every process's logs are kept, so a failing test can show what each said.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnService, until, type ServiceOptions, type ServiceProcess } from './faults-service.js';
import { freePort } from './redis-server.js';

/** One instance: its webhook port (undefined: long polling) and its current process. */
export interface Instance {
  readonly name: string;
  readonly port: number | undefined;
  process: ServiceProcess;
}

/** The instances of a test. */
export interface Fleet {
  readonly instances: readonly Instance[];
  /** When each kill happened (Date.now()). */
  readonly killedAt: number[];
  /** Starts an instance (a webhook port of its own when `webhook`) and waits until it serves. */
  add(name: string, webhook: boolean): Promise<Instance>;
  /** SIGKILLs the instance's process and waits until it is gone. */
  kill(name: string): Promise<void>;
  /** Starts the instance again on its port and store; does not wait for it. */
  restart(name: string): Instance;
  /** Waits until the instance's current process has started its adapters. */
  ready(name: string, timeoutMs?: number): Promise<void>;
  /** Every process's logs, oldest process first. */
  logs(): string;
  /** Writes the logs to a temp file and returns its path. */
  saveLogs(label: string): string;
  /** Log lines at warn level or above, at most `limit`, for a failure message. */
  problems(limit?: number): string[];
  /** SIGKILLs every process still running. */
  killAll(): void;
}

/** Environment every reliability instance runs with: leases short, so a dead instance's work is taken over soon. */
export const RELIABILITY_ENV: Record<string, string> = { INBOX_LEASE_SECONDS: '2' };

/** Creates a fleet whose instances share `base` (the stand-in, the store, extra environment). */
export function createFleet(base: Omit<ServiceOptions, 'webhookPort'>): Fleet {
  const instances: Instance[] = [];
  const all: { name: string; process: ServiceProcess }[] = [];
  const killedAt: number[] = [];

  function spawn(name: string, port: number | undefined): ServiceProcess {
    const process = spawnService({
      ...base,
      env: { ...RELIABILITY_ENV, ...base.env },
      ...(port === undefined ? {} : { webhookPort: port }),
    });
    all.push({ name, process });
    return process;
  }

  function find(name: string): Instance {
    const instance = instances.find((i) => i.name === name);
    if (instance === undefined) throw new Error(`no instance ${name}`);
    return instance;
  }

  const fleet: Fleet = {
    instances,
    killedAt,
    async add(name, webhook) {
      const port = webhook ? await freePort() : undefined;
      const instance: Instance = { name, port, process: spawn(name, port) };
      instances.push(instance);
      await fleet.ready(name);
      return instance;
    },
    async kill(name) {
      const instance = find(name);
      instance.process.kill();
      killedAt.push(Date.now());
      await instance.process.exited;
    },
    restart(name) {
      const instance = find(name);
      instance.process = spawn(name, instance.port);
      return instance;
    },
    async ready(name, timeoutMs = 30_000) {
      const instance = find(name);
      const current = instance.process;
      await until(() => {
        if (current.child.exitCode !== null || current.child.signalCode !== null) throw new Error(`instance ${name} exited:\n${current.logs().slice(-3000)}`);
        return current.logLines('adapter started').length > 0;
      }, `instance ${name} to start`, timeoutMs);
    },
    logs: () => all.map(({ name, process }, i) => `===== ${name} (process ${i + 1}) =====\n${process.logs()}`).join('\n'),
    saveLogs(label) {
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'sciweek-reliability-')), `${label}.log`);
      writeFileSync(file, fleet.logs());
      return file;
    },
    problems(limit = 40) {
      const lines = all.flatMap(({ name, process }) =>
        process
          .logs()
          .split('\n')
          .filter((line) => /"level":(40|50|60)/.test(line) || (line !== '' && !line.startsWith('{')))
          .map((line) => `${name}: ${line.slice(0, 600)}`),
      );
      return lines.slice(0, limit);
    },
    killAll() {
      for (const { process } of all) process.kill();
    },
  };
  return fleet;
}

/** One kill of a plan. */
export interface PlannedKill {
  /** Kill once this share of all messages is answered (0.25: a quarter)… */
  at: number;
  name: string;
  /**
   * …and, when true, only once the instance started after the previous kill is working off the
   * updates that piled up in the inbox meanwhile: as soon as the first of them is acknowledged (the
   * inbox gets shorter), while the others are in hand.
   */
  inBurst?: boolean;
}

/** What {@link killOnProgress} watches. */
export interface KillWatch {
  /** How many messages are answered so far, of `total`. */
  progress: () => number;
  total: number;
  /** How many updates wait in the inbox now. */
  depth: () => Promise<number>;
  /** Runs while the instance is down. */
  sample?: () => Promise<void>;
}

/**
 * Resolves once a burst kill's moment has come (see {@link PlannedKill.inBurst}), or after 10 s
 * without one (nothing piled up).
 */
async function burstUnderWay(watch: KillWatch): Promise<void> {
  const deadline = Date.now() + 10_000;
  let peak = 0;
  // Polled every few milliseconds: a burst is over in a fraction of a second.
  while (Date.now() < deadline) {
    const depth = await watch.depth();
    if (depth < peak) return;
    peak = Math.max(peak, depth);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/**
 * Kills and restarts instances as the users get on: waits for each kill's moment, SIGKILLs the named
 * instance, and starts it again at once on the same port and store.
 */
export async function killOnProgress(fleet: Fleet, plan: readonly PlannedKill[], watch: KillWatch): Promise<void> {
  for (const { at, name, inBurst } of plan) {
    await until(() => watch.progress() >= at * watch.total, `${Math.round(at * 100)} % of the messages answered`, 120_000);
    if (inBurst === true) await burstUnderWay(watch);
    await fleet.kill(name);
    await watch.sample?.();
    fleet.restart(name);
  }
}
