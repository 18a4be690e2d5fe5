import { isObject } from '../structured/pointer.js';
import { NAME_PATTERN } from '../structured/name.js';
import type { ChatCompletionCreateParams } from '../types/index.js';
import { badRequest } from './errors.js';
import { strictSchemaProblem } from './strict-check.js';

/** The API's bounds on `n`, the number of choices. */
const MIN_CHOICES = 1;
const MAX_CHOICES = 128;
/** The roles a message may have, in the API's words. */
const ROLES = ['system', 'assistant', 'user', 'function', 'tool', 'developer'];
/** The longest name of a format or function. */
const MAX_NAME_LENGTH = 64;

/**
 * The API's 400 for a create request it would refuse, in its words, or undefined: a body that is
 * not an object, no model, messages that are not a list of messages, an `n` outside 1-128, a
 * format or function name it does not take, a strict schema it cannot use. Checked before
 * anything is made of the request, so no request makes the fake throw.
 */
export function requestProblem(body: unknown): Response | undefined {
  if (!isObject(body)) return badRequest('We could not parse the JSON body of your request. The OpenAI API expects a JSON payload.');
  if (typeof body.model !== 'string' || !body.model) return badRequest('you must provide a model parameter', 'model');
  return (
    messagesProblem(body.messages) ??
    choicesProblem(body.n) ??
    namesProblem(body as ChatCompletionCreateParams) ??
    strictProblem(body as ChatCompletionCreateParams)
  );
}

function messagesProblem(messages: unknown): Response | undefined {
  if (!Array.isArray(messages)) return badRequest("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
  if (messages.length === 0) return badRequest("Invalid 'messages': empty array. Expected an array with minimum length 1.", 'messages', 'empty_array');
  for (const [i, message] of messages.entries()) {
    const at = `messages[${i}]`;
    if (!isObject(message)) return badRequest(`Invalid type for '${at}': expected an object, but got ${typeName(message)} instead.`, at, 'invalid_type');
    if (message.role === undefined) return badRequest(`Missing required parameter: '${at}.role'.`, `${at}.role`, 'missing_required_parameter');
    if (!ROLES.includes(message.role)) {
      const supported = `${ROLES.slice(0, -1)
        .map((role) => `'${role}'`)
        .join(', ')}, and '${ROLES.at(-1)}'`;
      return badRequest(
        `Invalid value: ${JSON.stringify(String(message.role)).slice(0, 80)}. Supported values are: ${supported}.`,
        `${at}.role`,
        'invalid_value',
      );
    }
  }
  return undefined;
}

function choicesProblem(n: unknown): Response | undefined {
  if (n === undefined || n === null) return undefined;
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    return badRequest(`Invalid type for 'n': expected an integer, but got ${typeof n === 'number' ? 'a decimal' : typeName(n)} instead.`, 'n', 'invalid_type');
  }
  if (n < MIN_CHOICES)
    return badRequest(`Invalid 'n': integer below minimum value. Expected a value >= ${MIN_CHOICES}, but got ${n} instead.`, 'n', 'integer_below_min_value');
  if (n > MAX_CHOICES)
    return badRequest(`Invalid 'n': integer above maximum value. Expected a value <= ${MAX_CHOICES}, but got ${n} instead.`, 'n', 'integer_above_max_value');
  return undefined;
}

/** The names of a `json_schema` format and of function tools: `^[a-zA-Z0-9_-]+$`, at most 64 characters. */
function namesProblem(body: ChatCompletionCreateParams): Response | undefined {
  const format = body.response_format;
  if (format?.type === 'json_schema') {
    const problem = nameProblem(isObject(format.json_schema) ? format.json_schema.name : undefined, 'response_format.json_schema.name');
    if (problem) return problem;
  }
  for (const [i, tool] of (Array.isArray(body.tools) ? body.tools : []).entries()) {
    if (tool?.type !== 'function') continue;
    const problem = nameProblem(isObject(tool.function) ? tool.function.name : undefined, `tools[${i}].function.name`);
    if (problem) return problem;
  }
  return undefined;
}

function nameProblem(name: unknown, at: string): Response | undefined {
  if (name === undefined) return badRequest(`Missing required parameter: '${at}'.`, at, 'missing_required_parameter');
  if (typeof name !== 'string') return badRequest(`Invalid type for '${at}': expected a string, but got ${typeName(name)} instead.`, at, 'invalid_type');
  if (name.length > MAX_NAME_LENGTH) {
    return badRequest(
      `Invalid '${at}': string too long. Expected a string with maximum length ${MAX_NAME_LENGTH}, but got a string with length ${name.length} instead.`,
      at,
      'string_above_max_length',
    );
  }
  if (!NAME_PATTERN.test(name)) {
    return badRequest(`Invalid '${at}': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`, at, 'invalid_value');
  }
  return undefined;
}

/** The API's 400 for a strict `json_schema` format or strict function tool whose schema it cannot use. */
function strictProblem(body: ChatCompletionCreateParams): Response | undefined {
  const format = body.response_format;
  // Without a schema there is nothing to check (a function that takes no parameters).
  if (format?.type === 'json_schema' && format.json_schema?.strict === true && format.json_schema.schema !== undefined) {
    const problem = strictSchemaProblem(format.json_schema.schema);
    if (problem) return badRequest(`Invalid schema for response_format '${format.json_schema.name}': ${problem}`, 'response_format');
  }
  for (const [i, tool] of (Array.isArray(body.tools) ? body.tools : []).entries()) {
    if (tool?.type !== 'function' || tool.function?.strict !== true || tool.function.parameters === undefined) continue;
    const problem = strictSchemaProblem(tool.function.parameters);
    if (problem) return badRequest(`Invalid schema for function '${tool.function.name}': ${problem}`, `tools[${i}].function.parameters`);
  }
  return undefined;
}

/** How the API names a JSON value's type in its messages. */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
