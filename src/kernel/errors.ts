/**
 * The error hierarchy. Expected outcomes (invalid input, a miss, a finished flow) are return values;
 * these classes are for faults. Every error carries a stable string `code` so logs and tests can
 * match on it without parsing messages.
 */

/** Base of every error the bot throws on purpose; `code` is stable, `cause` keeps the original. */
export class BotError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }
}

/** The environment or a data file is invalid: the process must not start. */
export class ConfigError extends BotError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('config_invalid', message, options);
  }
}

/** A flow definition in `flows/` is inconsistent: found at startup, never mid-conversation. */
export class FlowDefinitionError extends BotError {
  readonly flowId: string;

  constructor(flowId: string, message: string) {
    super('flow_definition_invalid', `flow "${flowId}": ${message}`);
    this.flowId = flowId;
  }
}

/**
 * A send to a platform failed, after the adapter's retries. Every adapter's failures take this one
 * shape, so code that only knows the PlatformAdapter port (the reminder dispatcher) can tell a
 * platform that is down from one chat's problem: `transient` is true when the platform was
 * unavailable (no answer, a 5xx, its own internal error, or sends given up waiting for it) rather
 * than refusing the call. `status` is the HTTP status or the platform's error number, undefined when
 * nothing answered; `retryAfterSeconds` is set when the platform asked us to wait. `code` is
 * `platform_api_failed` unless the adapter gave the send up itself (see the adapter kit).
 */
export class PlatformApiError extends BotError {
  readonly platform: string;
  readonly method: string;
  readonly status: number | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly transient: boolean;

  constructor(init: {
    platform: string;
    method: string;
    status?: number | undefined;
    retryAfterSeconds?: number | undefined;
    transient: boolean;
    message: string;
    cause?: unknown;
    code?: string;
  }) {
    super(init.code ?? 'platform_api_failed', init.message, { cause: init.cause });
    this.platform = init.platform;
    this.method = init.method;
    this.status = init.status;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.transient = init.transient;
  }
}

/** A network call did not get an answer at all (refused, reset, timed out). */
export class NetworkError extends BotError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('network_failed', message, options);
  }
}

/** The store could not be read or written; the message is retried by the user, nothing is lost. */
export class StoreError extends BotError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('store_failed', message, options);
  }
}

/** True for any error this code base raised on purpose. */
export function isBotError(value: unknown): value is BotError {
  return value instanceof BotError;
}
