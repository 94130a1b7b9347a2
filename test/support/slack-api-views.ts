/**
 * The `views.*` handlers of the Web API stand-in. `views.open` and `views.push` exchange a trigger id
 * once within its lifetime (`invalid_trigger_id` when missing or unknown, `exchanged_trigger_id` when
 * reused, `expired_trigger_id` when older than 3 s); every view is validated (`invalid_arguments` with
 * Slack-style `response_metadata.messages`); `views.update` finds a view by `view_id` or `external_id`
 * (`not_found`) and honours `hash` (`hash_conflict`); `views.push` stacks at most 3 views
 * (`push_limit_reached`). Answers carry the full view object Slack returns (id, hash, state, root…).
 */
import { nextId, type JsonObject } from './slack-api-ids.js';
import { viewErrors } from './slack-api-blocks.js';
import { SlackError, stringArg } from './slack-api-http.js';
import type { MethodEntry } from './slack-api-methods.js';
import type { SlackState } from './slack-api-state.js';
import type { OpenedView } from './slack-api-types.js';

/** A fresh view hash shaped like Slack's (`<seconds>.<8 hex>`). */
function newHash(): string {
  return `${Math.floor(Date.now() / 1000)}.${Math.floor(Math.random() * 0xffffffff).toString(16).padStart(8, '0')}`;
}

/** The `view` argument, validated. */
function viewArg(params: JsonObject): JsonObject {
  const errors = viewErrors(params.view);
  if (errors.length > 0) throw new SlackError('invalid_arguments', errors);
  return params.view as JsonObject;
}

/** The `views.*` method entries. */
export function viewMethods(state: SlackState): Record<string, MethodEntry> {
  const ws = state.workspace;

  /** The view object Slack answers with. */
  const render = (input: JsonObject, id: string, hash: string, rootViewId: string, previousViewId: string | null): JsonObject => ({
    id, team_id: ws.teamId, type: 'modal', blocks: input.blocks ?? [], private_metadata: input.private_metadata ?? '',
    callback_id: input.callback_id ?? '', state: { values: {} }, hash, title: input.title, clear_on_close: input.clear_on_close === true,
    notify_on_close: input.notify_on_close === true, close: input.close ?? null, submit: input.submit ?? null,
    previous_view_id: previousViewId, root_view_id: rootViewId, app_id: ws.appId, external_id: input.external_id ?? '',
    app_installed_team_id: ws.teamId, bot_id: ws.botId,
  });

  const checkExternalId = (input: JsonObject, except?: string): void => {
    const externalId = typeof input.external_id === 'string' && input.external_id !== '' ? input.external_id : undefined;
    if (externalId === undefined) return;
    for (const opened of state.views.values()) {
      if (opened.id !== except && opened.view.external_id === externalId) throw new SlackError('duplicate_external_id');
    }
  };

  /** Creates and remembers a view. */
  const create = (input: JsonObject, method: string, root: string | undefined, previous: string | null): JsonObject => {
    const id = nextId('V');
    const hash = newHash();
    const view = render(input, id, hash, root ?? id, previous);
    const opened: OpenedView = { id, hash, view, root_view_id: root ?? id, previous_view_id: previous, history: [method] };
    state.views.set(id, opened);
    return { view };
  };

  const triggerOf = (params: JsonObject): { viewId: string | undefined } =>
    state.exchangeTrigger(stringArg(params, 'trigger_id') ?? stringArg(params, 'interactivity_pointer'));

  return {
    'views.open': {
      token: 'bot',
      handler: (params) => {
        const input = viewArg(params);
        checkExternalId(input);
        triggerOf(params);
        return create(input, 'views.open', undefined, null);
      },
    },

    'views.push': {
      token: 'bot',
      handler: (params) => {
        const input = viewArg(params);
        checkExternalId(input);
        const { viewId } = triggerOf(params);
        const under = viewId === undefined ? undefined : state.views.get(viewId);
        if (under === undefined) return create(input, 'views.push', undefined, null);
        const stack = [...state.views.values()].filter((v) => v.root_view_id === under.root_view_id);
        if (stack.length >= 3) throw new SlackError('push_limit_reached');
        return create(input, 'views.push', under.root_view_id, under.id);
      },
    },

    'views.update': {
      token: 'bot',
      handler: (params) => {
        const viewId = stringArg(params, 'view_id');
        const externalId = stringArg(params, 'external_id');
        if (viewId === undefined && externalId === undefined) throw new SlackError('invalid_arguments', ['[ERROR] either view_id or external_id is required']);
        const opened = [...state.views.values()].find((v) => (viewId !== undefined ? v.id === viewId : v.view.external_id === externalId));
        if (opened === undefined) throw new SlackError('not_found');
        const hash = stringArg(params, 'hash');
        if (hash !== undefined && hash !== opened.hash) throw new SlackError('hash_conflict');
        const input = viewArg(params);
        checkExternalId(input, opened.id);
        opened.hash = newHash();
        opened.view = render(input, opened.id, opened.hash, opened.root_view_id, opened.previous_view_id);
        opened.history.push('views.update');
        return { view: opened.view };
      },
    },
  };
}
