import { Attempt } from '../../src/http/attempt.js';
import { secretsFor } from '../../src/redact.js';

/**
 * An attempt as the request layer makes one, for tests of the layers under it (the whole-body
 * parser, the chunk stream): `response` is what its errors describe, `secret` the key they mask (if the rule makes it a secret).
 */
export function testAttempt({
  response,
  secret,
  signal,
  timeout = Infinity,
}: { response?: Response; secret?: string; signal?: AbortSignal; timeout?: number } = {}): Attempt {
  const attempt = new Attempt(signal, timeout, 'POST https://api.test/v1/chat/completions', secretsFor(secret));
  attempt.head = response;
  return attempt;
}
