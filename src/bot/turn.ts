/**
 * One turn: the context a message is handled in, and what handling it produces. The engine builds
 * the context, routing code fills the result, and the engine commits it in one atomic step.
 */
import type { EventData } from '../domain/event.js';
import type { I18n, Translate } from '../kernel/i18n.js';
import type { Inbound } from '../domain/inbound.js';
import type { Locale } from '../kernel/locale.js';
import type { Logger } from '../kernel/logger.js';
import type { Reply } from '../domain/reply.js';
import type { SessionData } from '../domain/session.js';
import type { AuditEntry } from '../domain/records.js';
import type { DeclarationStore, FilingQueries, FilingWrite, GroupDirectory, UnreachableChats } from '../store/store.js';
import type { FlowDefinition } from '../flow/define.js';
import type { RunnerContext } from '../flow/runner.js';
import type { Qa } from '../qa/answer.js';
import type { ExportPort, RemindersPort } from './ports.js';

/** Everything a handler may read while handling one message. */
export interface TurnContext {
  inbound: Inbound;
  session: SessionData;
  locale: Locale;
  t: Translate;
  now: Date;
  /** `platform:userId`: whose filings these are. */
  ownerKey: string;
  /** The user is city bureau staff (STAFF_IDS). */
  isStaff: boolean;
  /**
   * Whether the user administers this group chat, asked of the platform by the handler that needs
   * it (at most once a message); false in a private chat or when the platform cannot tell.
   */
  chatAdmin(): Promise<boolean>;
  event: EventData;
  flows: ReadonlyMap<string, FlowDefinition>;
  /** Filings to read (/my, /edit, /withdraw, receipts, staff lists); they are written by the commit. */
  filings: FilingQueries;
  /** Group bindings (/bind, /unbind). */
  groups: GroupDirectory;
  /** The unreachable mark a group loses when it is bound (again). */
  unreachable: Pick<UnreachableChats, 'clearUnreachable'>;
  /** "Nothing to file" declarations (/none, staff status). */
  declarations: DeclarationStore;
  i18n: I18n;
  log: Logger;
  /** The context the flow runner needs, for this user's language. */
  runner: RunnerContext;
  reminders?: RemindersPort;
  /** The event Q&A. */
  qa: Qa;
  /** Builds the staff's export files. */
  exports: ExportPort;
}

/**
 * The stores a turn's handlers use beside the session, as the engine is given them: one object (the
 * store) seen through the {@link TurnContext} fields.
 */
export type TurnStores = FilingQueries & GroupDirectory & Pick<UnreachableChats, 'clearUnreachable'> & DeclarationStore;

/** What handling a message produced; written atomically, then the replies are sent. */
export interface TurnResult {
  /** The session after this message; `null` forgets it. */
  data: SessionData | null;
  replies: Reply[];
  filings?: FilingWrite[];
  audit?: AuditEntry[];
}
