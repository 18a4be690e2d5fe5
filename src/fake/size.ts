import { badRequest } from './errors.js';

/**
 * The most characters the fake answers with, every choice together: a request cannot make it
 * build an answer that exhausts memory (`n: 128` of a long echo, a schema whose `minItems`
 * multiply at every level). The real API is bounded by its token limits instead.
 */
export const MAX_ANSWER_CHARACTERS = 1_000_000;

/** Thrown while an answer is being made, once it would pass MAX_ANSWER_CHARACTERS. */
export class AnswerTooLarge extends Error {}

/** The 400 for an answer past the cap; `need` says how large, when known. */
export function tooLarge(need: string): Response {
  return badRequest(
    `The fake answers at most ${MAX_ANSWER_CHARACTERS.toLocaleString('en')} characters, every choice together; this answer needs ${need}. Ask for fewer choices (n) or a smaller answer (lower minItems and minLength in the schema).`,
    null,
    'fake_answer_too_large',
  );
}
