import { defineOwn, isPlainObject } from '../own.js';
import { CREATE_FIELDS, GUARDED_FIELDS } from './fields.js';
import type { RelayConfig } from './options.js';
import { absent, badRequest, quote } from './refusal.js';
import { ownMetadata } from './stored.js';

const CREATE_NAMES: ReadonlySet<string> = new Set(CREATE_FIELDS);

/** A create call as the relay sends it upstream. */
export interface CreateCall {
  /** The body for the upstream: the page's, checked, with the relay's own settings. */
  body: Record<string, unknown>;
  /** The upstream's name of the model. */
  model: string;
  stream: boolean;
  /** The page asked for the usage chunk itself (`stream_options.include_usage`). */
  pageWantsUsage: boolean;
}

/**
 * Checks a page's `POST /chat/completions` body against the relay's rules, and makes the body
 * sent upstream: only the contract's properties (and `allowFields`), an allowed model (mapped),
 * every limit respected (a request above one is refused, never clamped), the user as
 * `safety_identifier`, and usage asked for on a stream.
 */
export function checkCreate(page: Record<string, unknown>, config: RelayConfig, user: string | undefined): CreateCall {
  const body: Record<string, unknown> = {};
  for (const name of Object.keys(page)) {
    if (!config.allowFields.has(name)) {
      if (!CREATE_NAMES.has(name)) throw badRequest(`Unrecognized request argument supplied: ${quote(name)}.`, name.slice(0, 64), 'unknown_parameter');
      if (GUARDED_FIELDS.has(name)) throw badRequest(`'${name}' is not allowed through this relay.`, name, 'parameter_not_allowed');
    }
    defineOwn(body, name, page[name]);
  }
  body.model = modelOf(page.model, config);
  checkLists(page, config);
  atMost(page, 'n', config.maxN);
  atMost(page, 'max_completion_tokens', config.maxCompletionTokens);
  atMost(page, 'max_tokens', config.maxCompletionTokens);
  if (absent(page.max_completion_tokens) && absent(page.max_tokens) && config.maxCompletionTokens !== Infinity) {
    body.max_completion_tokens = config.maxCompletionTokens;
  }
  if (user !== undefined) body.safety_identifier = user;
  if (page.store === true && user !== undefined) body.metadata = ownMetadata(page.metadata, user);
  const stream = page.stream === true;
  const options = page.stream_options;
  if (stream) {
    if (!absent(options) && !isPlainObject(options)) throw badRequest("'stream_options' must be an object.", 'stream_options');
    // The relay needs the usage of every answer; the page sees the usage-only chunk only if it asked.
    body.stream_options = { ...options, include_usage: true };
  }
  return { body, model: body.model as string, stream, pageWantsUsage: stream && isPlainObject(options) && options.include_usage === true };
}

function modelOf(model: unknown, config: RelayConfig): string {
  if (typeof model !== 'string' || !model) throw badRequest('you must provide a model parameter', 'model', 'missing_required_parameter');
  const upstream = config.upstreamModel(model);
  if (upstream === undefined) throw badRequest(`The model ${quote(model)} is not available through this relay.`, 'model', 'model_not_allowed');
  return upstream;
}

function checkLists(page: Record<string, unknown>, config: RelayConfig): void {
  const { messages } = page;
  if (!Array.isArray(messages)) throw badRequest("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
  if (messages.length > config.maxMessages) {
    throw badRequest(`${messages.length} messages are more than this relay's limit of ${config.maxMessages}.`, 'messages', 'too_many_messages');
  }
  for (const name of ['tools', 'functions']) {
    const list = page[name];
    if (absent(list)) continue;
    if (!Array.isArray(list)) throw badRequest(`'${name}' must be an array.`, name);
    if (list.length > config.maxTools)
      throw badRequest(`${list.length} ${name} are more than this relay's limit of ${config.maxTools}.`, name, 'too_many_tools');
  }
}

/** A whole number up to `max`, or absent: anything else is refused, never clamped. */
function atMost(page: Record<string, unknown>, name: string, max: number): void {
  const value = page[name];
  if (absent(value) || (Number.isInteger(value) && (value as number) <= max)) return;
  const shown = typeof value === 'number' ? String(value) : typeof value;
  throw badRequest(`'${name}' is ${shown}; this relay allows a whole number up to ${max}.`, name, 'limit_exceeded');
}
