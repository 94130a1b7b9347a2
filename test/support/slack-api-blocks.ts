/**
 * Block Kit validation of the Web API stand-in, after Slack's published limits: at most 50 blocks in a
 * message and 100 in a modal; known block and element types; section text ≤ 3000 (fields ≤ 10 × 2000);
 * header ≤ 150; button text ≤ 75, value ≤ 2000, url ≤ 3000; option text ≤ 75, value ≤ 150; block_id and
 * action_id ≤ 255; block_ids unique; input blocks with `block_id`, a plain-text `label` and an `element`
 * with `action_id`; and, stricter than Slack's docs (which say "unique within the block"), action_ids
 * unique within the whole message or view. Modal: title/submit/close ≤ 24, callback_id ≤ 255,
 * private_metadata ≤ 3000, `submit` required when an input block is present. Each problem is reported as
 * Slack words its `response_metadata.messages`: `[ERROR] … [json-pointer:/blocks/0/text/text]`.
 */
import { isObject } from './slack-api-ids.js';

const MESSAGE_BLOCKS = new Set(['actions', 'context', 'divider', 'file', 'header', 'image', 'input', 'markdown', 'rich_text', 'section', 'video', 'table']);
const MODAL_BLOCKS = new Set(['actions', 'context', 'divider', 'header', 'image', 'input', 'rich_text', 'section', 'video']);
const ELEMENTS = new Set([
  'button', 'checkboxes', 'datepicker', 'datetimepicker', 'email_text_input', 'file_input', 'image', 'number_input', 'overflow',
  'plain_text_input', 'radio_buttons', 'rich_text_input', 'static_select', 'external_select', 'users_select', 'conversations_select',
  'channels_select', 'multi_static_select', 'multi_external_select', 'multi_users_select', 'multi_conversations_select',
  'multi_channels_select', 'timepicker', 'url_text_input', 'workflow_button',
]);

/** Accumulated problems plus the ids seen so far in one message or view. */
class Check {
  readonly errors: string[] = [];
  readonly actionIds = new Set<string>();
  readonly blockIds = new Set<string>();

  fail(message: string, pointer: string): void {
    this.errors.push(`[ERROR] ${message} [json-pointer:${pointer}]`);
  }

  /** A string field no longer than `max` (required or not). */
  string(value: unknown, pointer: string, max: number, required = false): void {
    if (value === undefined && !required) return;
    if (typeof value !== 'string') this.fail('must be a string', pointer);
    else if (value.length > max) this.fail(`must be less than ${max + 1} characters`, pointer);
  }

  /** A text object (`plain_text`, or `mrkdwn` unless `plainOnly`) of 1..max characters. */
  text(value: unknown, pointer: string, max: number, plainOnly = false): void {
    if (!isObject(value)) return this.fail('must provide an object', pointer);
    const allowed = plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
    if (typeof value.type !== 'string' || !allowed.includes(value.type)) this.fail('must be a valid enum value', `${pointer}/type`);
    if (typeof value.text !== 'string' || value.text.length === 0) this.fail('must be more than 0 characters', `${pointer}/text`);
    else if (value.text.length > max) this.fail(`must be less than ${max + 1} characters`, `${pointer}/text`);
  }

  /** A list field with at most `max` items; returns the items (empty when not a list). */
  list(value: unknown, pointer: string, max: number, min = 0): unknown[] {
    if (!Array.isArray(value)) {
      this.fail('must provide an array', pointer);
      return [];
    }
    if (value.length > max) this.fail(`no more than ${max} items allowed`, pointer);
    if (value.length < min) this.fail(`must provide at least ${min} items`, pointer);
    return value;
  }

  options(value: unknown, pointer: string, max: number): void {
    this.list(value, pointer, max).forEach((option, i) => {
      const at = `${pointer}/${i}`;
      if (!isObject(option)) return this.fail('must provide an object', at);
      this.text(option.text, `${at}/text`, 75);
      this.string(option.value, `${at}/value`, 150);
    });
  }

  element(element: unknown, pointer: string, requireActionId = false): void {
    if (!isObject(element)) return this.fail('must provide an object', pointer);
    if (typeof element.type !== 'string' || !ELEMENTS.has(element.type)) return this.fail(`unsupported type: ${String(element.type)}`, `${pointer}/type`);
    if (element.type === 'image') {
      this.string(element.alt_text, `${pointer}/alt_text`, 2000, true);
      return;
    }
    if (element.action_id === undefined && requireActionId) this.fail('missing required field: action_id', pointer);
    this.string(element.action_id, `${pointer}/action_id`, 255);
    if (typeof element.action_id === 'string') {
      if (this.actionIds.has(element.action_id)) this.fail(`duplicate action_id: ${element.action_id}`, `${pointer}/action_id`);
      this.actionIds.add(element.action_id);
    }
    if (element.placeholder !== undefined) this.text(element.placeholder, `${pointer}/placeholder`, 150, true);
    switch (element.type) {
      case 'button':
        this.text(element.text, `${pointer}/text`, 75, true);
        this.string(element.value, `${pointer}/value`, 2000);
        this.string(element.url, `${pointer}/url`, 3000);
        if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') this.fail('must be a valid enum value', `${pointer}/style`);
        break;
      case 'static_select':
      case 'multi_static_select':
        if (element.options !== undefined) this.options(element.options, `${pointer}/options`, 100);
        else if (element.option_groups === undefined) this.fail('must provide options or option_groups', pointer);
        break;
      case 'overflow':
        this.options(element.options, `${pointer}/options`, 5);
        break;
      case 'checkboxes':
      case 'radio_buttons':
        this.options(element.options, `${pointer}/options`, 10);
        break;
      case 'plain_text_input':
        if (typeof element.max_length === 'number' && element.max_length > 3000) this.fail('must be less than 3001', `${pointer}/max_length`);
        break;
      default:
        break;
    }
  }

  block(block: unknown, pointer: string, allowed: Set<string>): void {
    if (!isObject(block)) return this.fail('must provide an object', pointer);
    if (typeof block.type !== 'string' || !allowed.has(block.type)) return this.fail(`unsupported type: ${String(block.type)}`, `${pointer}/type`);
    this.string(block.block_id, `${pointer}/block_id`, 255);
    if (typeof block.block_id === 'string') {
      if (this.blockIds.has(block.block_id)) this.fail(`duplicate block_id: ${block.block_id}`, `${pointer}/block_id`);
      this.blockIds.add(block.block_id);
    }
    switch (block.type) {
      case 'section':
        if (block.text === undefined && block.fields === undefined) this.fail('must provide text or fields', pointer);
        if (block.text !== undefined) this.text(block.text, `${pointer}/text`, 3000);
        if (block.fields !== undefined) this.list(block.fields, `${pointer}/fields`, 10).forEach((field, i) => this.text(field, `${pointer}/fields/${i}`, 2000));
        if (block.accessory !== undefined) this.element(block.accessory, `${pointer}/accessory`);
        break;
      case 'header':
        this.text(block.text, `${pointer}/text`, 150, true);
        break;
      case 'context':
        this.list(block.elements, `${pointer}/elements`, 10, 1).forEach((element, i) => {
          if (isObject(element) && element.type === 'image') this.element(element, `${pointer}/elements/${i}`);
          else this.text(element, `${pointer}/elements/${i}`, 3000);
        });
        break;
      case 'actions':
        this.list(block.elements, `${pointer}/elements`, 25, 1).forEach((element, i) => this.element(element, `${pointer}/elements/${i}`));
        break;
      case 'input':
        if (typeof block.block_id !== 'string') this.fail('missing required field: block_id', pointer);
        this.text(block.label, `${pointer}/label`, 2000, true);
        if (block.hint !== undefined) this.text(block.hint, `${pointer}/hint`, 2000, true);
        this.element(block.element, `${pointer}/element`, true);
        break;
      case 'image':
        if (block.image_url === undefined && block.slack_file === undefined) this.fail('must provide image_url or slack_file', pointer);
        this.string(block.image_url, `${pointer}/image_url`, 3000);
        this.string(block.alt_text, `${pointer}/alt_text`, 2000, true);
        break;
      default:
        break;
    }
  }

  blocks(blocks: unknown, pointer: string, max: number, allowed: Set<string>): void {
    this.list(blocks, pointer, max).forEach((block, i) => this.block(block, `${pointer}/${i}`, allowed));
  }
}

/** Problems with a message's `blocks` (empty when valid or absent). */
export function messageBlockErrors(blocks: unknown): string[] {
  if (blocks === undefined) return [];
  const check = new Check();
  check.blocks(blocks, '/blocks', 50, MESSAGE_BLOCKS);
  return check.errors;
}

/** Problems with a modal view object (empty when valid). */
export function viewErrors(view: unknown): string[] {
  const check = new Check();
  if (!isObject(view)) {
    check.fail('must provide an object', '/view');
    return check.errors;
  }
  if (view.type !== 'modal') check.fail('must be a valid enum value', '/view/type');
  check.text(view.title, '/view/title', 24, true);
  if (view.submit !== undefined) check.text(view.submit, '/view/submit', 24, true);
  if (view.close !== undefined) check.text(view.close, '/view/close', 24, true);
  check.string(view.callback_id, '/view/callback_id', 255);
  check.string(view.private_metadata, '/view/private_metadata', 3000);
  check.string(view.external_id, '/view/external_id', 255);
  check.blocks(view.blocks, '/view/blocks', 100, MODAL_BLOCKS);
  const hasInput = Array.isArray(view.blocks) && view.blocks.some((block) => isObject(block) && block.type === 'input');
  if (hasInput && view.submit === undefined) check.fail('submit is required when an input block is within the blocks array', '/view/submit');
  return check.errors;
}
