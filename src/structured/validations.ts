import type { StandardSchemaV1 } from '../types/standard-schema.js';
import type { ParseAnswer } from './schema.js';
import { noop } from '../own.js';

/** The result of validating one text: the value, or its issues; rejects when the validator throws. */
export type Validation = Promise<StandardSchemaV1.Result<unknown>>;

/** Validates `text` with `parse`: an answer's content, or a call's arguments. */
export type Validate = (parse: ParseAnswer<unknown>, text: string) => Validation;

/** Validates at once; a validator that throws rejects, and never throws synchronously. */
export const validateNow: Validate = (parse, text) => {
  try {
    return Promise.resolve(parse(text));
  } catch (error) {
    return Promise.reject(error);
  }
};

/**
 * Validations started early (by a done event, as each text completes) and handed over once to
 * whoever parses the whole completion next, so each answer and each call is validated once and
 * both see the same value. Keyed by validator and text: identical texts of one tool (the same
 * call twice) each have their own validation, taken in turn.
 */
export interface Validations {
  /** Starts validating `text`, to be taken later. */
  start: Validate;
  /** The validation `start` began for this text, else a new one. */
  take: Validate;
}

export function createValidations(): Validations {
  const started = new Map<ParseAnswer<unknown>, Map<string, Validation[]>>();
  return {
    start(parse, text) {
      const validation = validateNow(parse, text);
      // Taken later, or never (an error ended the stream first): not an unhandled rejection.
      validation.catch(noop);
      let texts = started.get(parse);
      if (texts === undefined) {
        texts = new Map();
        started.set(parse, texts);
      }
      const queue = texts.get(text);
      if (queue === undefined) texts.set(text, [validation]);
      else queue.push(validation);
      return validation;
    },
    take(parse, text) {
      return started.get(parse)?.get(text)?.shift() ?? validateNow(parse, text);
    },
  };
}
