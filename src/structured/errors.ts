import { OpenAIError } from '../errors.js';
import type { StandardSchemaV1 } from '../types/standard-schema.js';
import type { ChatCompletion } from '../types/index.js';

/**
 * Base of the errors of parsing a structured answer: each carries the completion as it came
 * back, so an app can still show or log it.
 */
export class StructuredOutputError extends OpenAIError {
  declare readonly completion: ChatCompletion;
  constructor(message: string, completion: ChatCompletion) {
    super(message);
    Object.assign(this, { completion });
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
    super(`${what} failed validation: ${issues.map(describeIssue).join('; ')}`, completion);
    Object.assign(this, { issues });
  }
}

/** One issue as text: `city: Required`. */
export function describeIssue({ message, path }: StandardSchemaV1.Issue): string {
  const at = path?.map((segment) => String((segment as StandardSchemaV1.PathSegment).key ?? segment)).join('.');
  return at ? `${at}: ${message}` : message;
}
