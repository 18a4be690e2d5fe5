import { createFold } from '../fold/chunk.js';
import { isPlainObject, noop } from '../own.js';
import type { JSONObject } from '../own.js';
import { copyResponse } from '../http/meta.js';
import { noChunkError } from '../stream/chunk-reader.js';
import { formatParser, toParsedChatCompletionWith, parseableTools } from '../structured/parse.js';
import type { ParseRequest } from '../structured/parse.js';
import { createValidations } from '../structured/validations.js';
import type { Validations } from '../structured/validations.js';
import type { ChatCompletion } from '../types/index.js';
import { addChoice, finish } from './choice.js';
import type { Emit, Event, Maker } from './state.js';

export type { Outgoing } from './state.js';

/** Chunks in, events out: the fold, and what each choice has streamed so far. */
export interface EventMaker {
  /**
   * Folds a chunk in and emits its events: `chunk`, then each choice's. Synchronous (a chunk
   * costs no promise): a done event that waits for validation is emitted as its promise, and
   * the events after it follow it in order.
   */
  add(chunk: unknown, emit: Emit): void;
  /** The stream ended: the done events of every choice still open, then `done`. */
  end(emit: Emit): void;
  /** The completion folded so far; undefined before the first chunk. */
  partial(): ChatCompletion | undefined;
}

/** How the events serve the tool loop; `toChatCompletionEvents` gives none. */
export interface EventMakerOptions {
  /**
   * The chunk stream: the completion folded from it remembers its response, for
   * `getResponseMeta` of `done`, and for the request's secrets, masked in what errors carry.
   */
  stream?: object;
  /**
   * For the tool loop: arguments that fail validation, and the content of a turn that calls
   * tools, leave their value undefined instead of failing; `done` carries the fold unparsed,
   * and `validations` hands what the done events validated to the loop's own parse.
   */
  toolLoop?: { validations: Validations };
}

export function createEventMaker(request: ParseRequest, options: EventMakerOptions = {}): EventMaker {
  const maker: Maker = {
    fold: createFold(),
    format: formatParser(request),
    tools: parseableTools(request),
    validations: options.toolLoop?.validations ?? createValidations(),
    forToolLoop: options.toolLoop !== undefined,
    choices: new Map(),
  };
  // Every snapshot of the fold is this one completion: it remembers the response from the start.
  if (options.stream) copyResponse(options.stream, maker.fold.snapshot());
  return {
    add(chunk, emit) {
      // The fold checks the chunk's shape first: what it accepts is safe to read below.
      maker.fold.add(chunk);
      emit({ type: 'chunk', chunk: chunk as object });
      const list = (chunk as JSONObject).choices;
      if (Array.isArray(list)) for (const choice of list) if (isPlainObject(choice)) addChoice(maker, choice, emit);
    },
    end(emit) {
      if (maker.fold.count === 0) throw noChunkError('toChatCompletionEvents');
      for (const choice of maker.choices.values()) finish(maker, choice, null, emit);
      const completion = maker.fold.snapshot();
      emit(maker.forToolLoop ? { type: 'done', completion } : parsedDone(maker, completion, request));
    },
    partial() {
      return maker.fold.count > 0 ? maker.fold.snapshot() : undefined;
    },
  };
}

/**
 * The `done` event once the completion is parsed, with the values the done events validated.
 * `toParsedChatCompletion`'s errors (`length`, `content_filter`) carry the whole completion, usage included.
 */
function parsedDone(maker: Maker, completion: ChatCompletion, request: ParseRequest): Promise<Event> {
  const done = toParsedChatCompletionWith(completion, request, maker.validations.take).then((parsed): Event => ({ type: 'done', completion: parsed }));
  done.catch(noop);
  return done;
}
