import { OpenAIError } from '../errors.js';
import type { Fold } from '../fold/chunk.js';
import type { ToolCallKeys } from '../fold/tool-call-keys.js';
import { OutputValidationError } from '../structured/errors.js';
import type { ParseAnswer } from '../structured/schema.js';
import type { Validations } from '../structured/validations.js';
import type { JSONEnd } from './json-end.js';
import type { Text } from './text.js';
import { noop } from '../own.js';

/** Each event is an object with its `type` (see src/events/types.ts). */
export type Event = object;
/** An event, or (for a done event, whose value is validated first) the promise of one. */
export type Outgoing = Event | Promise<Event>;
export type Emit = (event: Outgoing) => void;

/** What every part of the maker reads: the fold, the request's parsers, and how strict to be. */
export interface Maker {
  fold: Fold;
  /** The `response_format`'s parser, for a `jsonSchemaFormat`. */
  format: ParseAnswer<unknown> | undefined;
  /** The tools that parse their arguments (`functionTool`s), by `function.name`. */
  tools: { parse: ParseAnswer<unknown>; function: { name: string } }[];
  /** Every validation a done event starts, handed over to the parse of the whole completion. */
  validations: Validations;
  /** For the tool loop: arguments, and the content of a turn that calls tools, never fail here. */
  forToolLoop: boolean;
  choices: Map<unknown, Choice>;
}

/** A tool call being streamed. */
export interface Call {
  /** Its `index`, or for a call without one its position among the choice's calls. */
  index: unknown;
  id: string;
  name: string;
  arguments: Text;
  /** Whether the arguments are a whole JSON value yet: a call is done early only then. */
  end: JSONEnd;
  /** The tool's parser, for a `functionTool`. */
  parse: ParseAnswer<unknown> | undefined;
  /** A call of another type than `function` (`custom`): no function events. */
  other: boolean;
  done: boolean;
}

/** What one choice has streamed so far. */
export interface Choice {
  index: unknown;
  content: Text;
  refusal: Text;
  /** Logprobs of the content and of the refusal: tokens only ever appended. */
  tokens: { content: unknown[]; refusal: unknown[] };
  /** Tool calls by key (see ToolCallKeys), in order of arrival; `current` is the last one added to. */
  calls: Map<unknown, Call>;
  keys: ToolCallKeys;
  current: Call | undefined;
  /** Its done events were emitted; anything more for it is an error. */
  finished: boolean;
}

export const AFTER_DONE =
  'A stream chunk adds to a text already done (more of a choice after its finish_reason, or of a tool call whose arguments were complete when the next one began); no OpenAI stream does that.';

/** A piece of text that adds something: servers send `null` and `""` in deltas that add nothing. */
export const isPiece = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** The text, if its choice is still open. */
export function opened(choice: Choice, text: Text): Text {
  if (choice.finished) throw new OpenAIError(AFTER_DONE);
  return text;
}

/**
 * The event once `parse` has validated `text`, with the value under `key`; or, unless `lenient`,
 * the validation error carrying the completion so far (lenient: the value stays undefined).
 * Validation starts now and is handed over to the final parse; the promise is marked handled,
 * since an error before it may leave it unread.
 */
export function validated(
  maker: Maker,
  event: Record<string, unknown>,
  key: string,
  parse: ParseAnswer<unknown>,
  text: string,
  what: string,
  lenient: boolean,
): Promise<Event> {
  const done = maker.validations.start(parse, text).then(
    (result) => {
      if (!result.issues) event[key] = result.value;
      else if (!lenient) throw new OutputValidationError(what, maker.fold.snapshot(), result.issues);
      return event;
    },
    (error: unknown) => {
      if (lenient) return event;
      throw error;
    },
  );
  done.catch(noop);
  return done;
}
