import { OpenAIError } from '../errors.js';

/** The API's rule for the name of a `json_schema` response format and of a function. */
export const NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

/** How much of a refused name a message quotes. */
const QUOTED_LENGTH = 80;

/**
 * Throws an `OpenAIError` unless `name` is one the API takes (1 to 64 of a-z, A-Z, 0-9, `_`
 * and `-`), so that the mistake fails where it is made, not as a 400 after a round trip.
 * `what` names the field: "response_format name", "tool name".
 */
export function checkName(name: unknown, what: string): asserts name is string {
  if (typeof name === 'string' && NAME_PATTERN.test(name)) return;
  throw new OpenAIError(`${what} must be 1 to 64 characters of a-z, A-Z, 0-9, _ and -, got ${quote(name)}.`);
}

function quote(name: unknown): string {
  if (typeof name !== 'string') return name === null ? 'null' : typeof name;
  const cut = name.length > QUOTED_LENGTH ? `${name.slice(0, QUOTED_LENGTH)}…` : name;
  return `${JSON.stringify(cut)} (${name.length} characters)`;
}
