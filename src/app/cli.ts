/**
 * The `sciweek` command: `sciweek` (or `sciweek start`) runs the bot; `sciweek chat` opens the
 * console chat as a chosen user; the staff commands print status, exports and reminder plans, and
 * `sciweek purge` deletes an event's personal data. A configuration or data error prints one clear
 * message and exits 1; a usage error exits 2.
 */
import { parseArgs } from 'node:util';
import { isBotError } from '../kernel/errors.js';
import { scrubText } from '../kernel/redact.js';
import { createApp } from './app.js';
import { runConsoleChat, start } from './main.js';
import { writeFile } from 'node:fs/promises';
import { allFlows } from '../../flows/index.js';
import { computeStatus } from '../domain/status.js';
import { exportFilings } from '../export/index.js';
import { formatReminderLine } from '../reminders/planner.js';
import { planAt } from './service.js';
import { readLine } from './cli-prompt.js';
import { toLocale } from '../kernel/locale.js';
import { totalPurgeCount } from '../store/purge-scope.js';
import type { Declaration } from '../domain/records.js';
import type { Filing } from '../domain/filing.js';
import type { DeclarationStore, EventPurge, FilingQueries, PurgeCounts } from '../store/store.js';
import type { Translate } from '../kernel/i18n.js';

const USAGE = `usage:
  sciweek [start]                                 run the bot (console chat when no platform token is set)
  sciweek chat [--user ID] [--name NAME] [--lang zh-CN|en]   console chat as a given user
  sciweek remind plan --at ISO-TIME [--json]      what reminders would go out at that time (sends nothing)
  sciweek status [--json]                         who has filed what, per district and form
  sciweek export --format xlsx|docx|csv [--form ID] --out FILE   the filings in the official layout
  sciweek purge --event ID [--yes] [--lang zh-CN|en]   delete an event's personal data: shows the counts,
                                                  asks to type the event id back (--yes skips that)
  sciweek help`;

/** Runs the command line; resolves to the exit code. */
export async function runCli(argv: readonly string[], env: Record<string, string | undefined>): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      user: { type: 'string', default: 'local' },
      name: { type: 'string' },
      lang: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      at: { type: 'string' },
      json: { type: 'boolean', default: false },
      format: { type: 'string' },
      form: { type: 'string' },
      out: { type: 'string' },
      event: { type: 'string' },
      yes: { type: 'boolean', default: false },
    },
  });
  const command = positionals[0] ?? 'start';
  const user = {
    id: values.user,
    displayName: values.name ?? values.user,
    ...(values.lang === undefined ? {} : { localeHint: values.lang }),
  };
  if (values.help || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  switch (command) {
    case 'start':
      await start(env, user);
      return 0;
    case 'chat':
      await runConsoleChat(await createApp(env), user);
      return 0;
    case 'remind':
      return remindPlan(positionals[1], values.at, values.json, env);
    case 'status':
      return printStatus(values.json, env);
    case 'export':
      return exportToFile(values.format, values.form, values.out, env);
    case 'purge':
      return purgeEvent(values.event, values.yes, values.lang, env);
    default:
      process.stderr.write(`unknown command "${command}"\n${USAGE}\n`);
      return 2;
  }
}

/** `sciweek remind plan --at <ISO> [--json]`: prints the plan at that time, one line a reminder. */
async function remindPlan(sub: string | undefined, at: string | undefined, json: boolean, env: Record<string, string | undefined>): Promise<number> {
  // The time must carry its offset (…+08:00 or Z): the machine's own time zone would decide otherwise.
  const when = at === undefined || !/(Z|[+-]\d{2}:?\d{2})$/.test(at) ? undefined : new Date(at);
  if (sub !== 'plan' || when === undefined || Number.isNaN(when.getTime())) {
    process.stderr.write(`sciweek remind plan needs --at with an ISO time, e.g. --at 2021-04-27T09:00:00+08:00\n${USAGE}\n`);
    return 2;
  }
  const app = await createApp(env);
  try {
    const plan = await planAt(app, when);
    if (json) process.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
    else for (const reminder of plan) process.stdout.write(`${formatReminderLine(reminder)}\n`);
    return 0;
  } finally {
    await app.store.close();
  }
}

/** An event's filings and declarations: what the status matrix and the exports are made from. */
function eventRecords(store: FilingQueries & DeclarationStore, eventId: string): Promise<[Filing[], Declaration[]]> {
  return Promise.all([store.listFilings({ eventId }), store.listDeclarations(eventId)]);
}

/** `sciweek status [--json]`: the status matrix, ✓ filed / — nothing to file / ✗ owed. */
async function printStatus(json: boolean, env: Record<string, string | undefined>): Promise<number> {
  const app = await createApp(env);
  try {
    const [filings, declarations] = await eventRecords(app.store, app.event.id);
    const status = computeStatus(app.event, filings, declarations);
    if (json) {
      const rows = status.map((entry) => ({ district: entry.district.id, forms: entry.forms }));
      process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return 0;
    }
    const locale = app.config.DEFAULT_LOCALE;
    for (const entry of status) {
      const marks = entry.forms.map((f) => `${f.formId}=${f.filed > 0 ? `✓${f.filed}` : f.declaredNone ? '—' : '✗'}`).join(' ');
      process.stdout.write(`${entry.district.name[locale]}\t${marks}\n`);
    }
    return 0;
  } finally {
    await app.store.close();
  }
}

/** `sciweek export --format xlsx|docx|csv [--form ID] --out FILE`: writes the export to a file. */
async function exportToFile(format: string | undefined, formId: string | undefined, out: string | undefined, env: Record<string, string | undefined>): Promise<number> {
  if ((format !== 'xlsx' && format !== 'docx' && format !== 'csv') || out === undefined) {
    process.stderr.write(`sciweek export needs --format xlsx|docx|csv and --out FILE\n${USAGE}\n`);
    return 2;
  }
  const app = await createApp(env);
  try {
    const [filings, declarations] = await eventRecords(app.store, app.event.id);
    const file = await exportFilings({
      format,
      ...(formId === undefined ? {} : { formId }),
      event: app.event,
      flows: allFlows,
      filings,
      declarations,
      fieldContext: { event: app.event, locale: 'zh-CN', now: app.clock.now(), t: app.i18n.forLocale('zh-CN') },
    });
    await writeFile(out, file.data);
    const exported = filings.filter((filing) => formId === undefined || filing.formId === formId).length;
    process.stdout.write(`${out} (${file.data.length} bytes, ${exported} filings)\n`);
    return 0;
  } finally {
    await app.store.close();
  }
}

/**
 * Rewrites the store's files so that nothing deleted stays in them, and says how that went: on stdout
 * when they are clean, on stderr when the operator still has something to do (the exit code stays 0:
 * the records are gone). Also run when there is nothing to remove, so running the purge again
 * finishes a rewrite that failed before.
 */
async function eraseRemnants(store: EventPurge, t: Translate): Promise<void> {
  const erasure = await store.eraseRemnants();
  if (erasure === 'rewritten' || erasure === 'not-persisted') {
    process.stdout.write(`${t(erasure === 'rewritten' ? 'purge.files_rewritten' : 'purge.files_not_persisted')}\n`);
  } else {
    process.stderr.write(`${t(erasure === 'pending' ? 'purge.files_pending' : 'purge.files_manual')}\n`);
  }
}

/**
 * `sciweek purge --event ID [--yes]`: prints what would be removed, asks for the event id typed back
 * (a line of stdin, terminal or pipe; `--yes` skips it for scripts), purges, prints what went and
 * rewrites the store's files. The configured event (data/event.json) takes every session, the reminder
 * log and every waiting message with it (purge-scope.ts). Words from the locales, in `--lang` or
 * DEFAULT_LOCALE. No or a wrong confirmation: nothing removed, exit 1.
 */
async function purgeEvent(eventId: string | undefined, yes: boolean, lang: string | undefined, env: Record<string, string | undefined>): Promise<number> {
  if (eventId === undefined || eventId.trim() === '') {
    process.stderr.write(`sciweek purge needs --event ID, e.g. --event qingdao-2021\n${USAGE}\n`);
    return 2;
  }
  const app = await createApp(env);
  try {
    const t = app.i18n.forLocale(toLocale(lang) ?? app.config.DEFAULT_LOCALE);
    const describe = (counts: PurgeCounts): string => t('purge.counts', { ...counts });
    const options = { servedEvent: eventId === app.event.id };
    const counts = await app.store.countEvent(eventId, options);
    process.stdout.write(`${t('purge.would_remove', { event: eventId, counts: describe(counts) })}\n`);
    const scope = options.servedEvent ? t('purge.scope_served', { event: eventId }) : t('purge.scope_other', { event: eventId, served: app.event.id });
    process.stdout.write(`${scope}\n`);
    if (totalPurgeCount(counts) === 0) {
      process.stdout.write(`${t('purge.nothing')}\n`);
      await eraseRemnants(app.store, t);
      return 0;
    }
    if (!yes && (await readLine(t('purge.confirm', { event: eventId })))?.trim() !== eventId) {
      process.stderr.write(`${t('purge.cancelled', { event: eventId })}\n`);
      return 1;
    }
    const removed = await app.store.purgeEvent(eventId, options);
    process.stdout.write(`${t('purge.removed', { event: eventId, counts: describe(removed) })}\n`);
    await eraseRemnants(app.store, t);
    return 0;
  } finally {
    await app.store.close();
  }
}

/** The process entry: exit codes and the one-line error for a bad start. */
export async function main(): Promise<void> {
  try {
    process.exitCode = await runCli(process.argv.slice(2), process.env);
  } catch (error) {
    const expected = isBotError(error) || (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'));
    const message = expected ? (error as Error).message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    // Not a log line, but scrubbed like one: a stack may quote a token, a phone or an e-mail.
    process.stderr.write(`sciweek: ${scrubText(message)}\n`);
    process.exitCode = 1;
  }
}
