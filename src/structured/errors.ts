import { OpenAIError } from '../errors.js';
import { copyResponse, secretsOf } from '../http/meta.js';
import { maskText, maskValue } from '../redact.js';
import type { StandardSchemaV1 } from '../types/standard-schema.js';
import type { ChatCompletion } from '../types/index.js';

/**
 * Base of the errors of parsing a structured answer: each carries the completion as it came
 * back, so an app can still show or log it, as a non-enumerable property (like `partial`): a
 * logged or serialised error does not print the whole answer. A server may echo the request's
 * key in an answer: it is masked in the completion and in what the error says.
 */
export class StructuredOutputError extends OpenAIError {
  declare readonly completion: ChatCompletion;
  constructor(message: string, completion: ChatCompletion) {
    const secrets = secretsOf(completion);
    super(maskText(message, secrets));
    const masked = maskValue(completion, secrets);
    if (masked !== completion) copyResponse(completion, masked);
    Object.defineProperty(this, 'completion', { value: masked, enumerable: false, writable: false, configurable: true });
  }
}

/**
 * The model stopped at the token limit (`finish_reason: 'length'`), so its structured answer
 * is cut short. Raise `max_completion_tokens`, or ask for less.
 *
 * @example
 * catch (e) { if (e instanceof LengthFinishReasonError) console.warn(e.completion.usage); }
 */
export class LengthFinishReasonError extends StructuredOutputError {
  override name = 'LengthFinishReasonError' as const;
}

/** The content filter stopped the answer (`finish_reason: 'content_filter'`). */
export class ContentFilterFinishReasonError extends StructuredOutputError {
  override name = 'ContentFilterFinishReasonError' as const;
}

/**
 * The model's answer (a message's content, or a tool call's arguments) is not JSON or does
 * not pass the schema's validation; `issues` says what is wrong, in Standard Schema form.
 *
 * @example
 * catch (e) { if (e instanceof OutputValidationError) console.error(e.issues.map((i) => i.message)); }
 */
export class OutputValidationError extends StructuredOutputError {
  override name = 'OutputValidationError' as const;
  declare readonly issues: readonly StandardSchemaV1.Issue[];
  constructor(what: string, completion: ChatCompletion, issues: readonly StandardSchemaV1.Issue[]) {
    super(`${what} failed validation: ${describeIssues(issues)}`, completion);
    // A schema library's message may quote the value it refused.
    Object.assign(this, { issues: maskValue(issues, secretsOf(completion)) });
  }
}

/** Standard Schema issues, one line: `city: Required; unit: Invalid enum value`. */
export function describeIssues(issues: readonly StandardSchemaV1.Issue[]): string {
  return issues.map(describeIssue).join('; ');
}

/** One issue as text: `city: Required`. */
function describeIssue({ message, path }: StandardSchemaV1.Issue): string {
  const at = path?.map((segment) => String((segment as StandardSchemaV1.PathSegment).key ?? segment)).join('.');
  return at ? `${at}: ${message}` : message;
}
