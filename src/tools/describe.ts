import { describeIssue } from '../structured/errors.js';
import type { StandardSchemaV1 } from '../types/standard-schema.js';

/** A thrown value as text, whatever it is: an `Object.create(null)` has no `toString` for `String()` to call. */
export function describeThrown(thrown: unknown): string {
  const said: unknown = thrown instanceof Error ? thrown.message : thrown;
  if (typeof said === 'string') return said;
  try {
    return String(said);
  } catch {
    return Object.prototype.toString.call(said);
  }
}

/** Standard Schema issues, one line: `city: Required; unit: Invalid enum value`. */
export const describeIssues = (issues: readonly StandardSchemaV1.Issue[]): string => issues.map(describeIssue).join('; ');
