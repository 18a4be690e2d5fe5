import { Attempt } from '../../src/http/attempt.js';

/**
 * An attempt as the request layer makes one, for tests of the layers under it (the whole-body
 * parser, the chunk stream): `response` is what its errors describe, `secret` what they mask.
 */
export function testAttempt({
  response,
  secret,
  signal,
  timeout = Infinity,
}: { response?: Response; secret?: string; signal?: AbortSignal; timeout?: number } = {}): Attempt {
  const attempt = new Attempt(signal, timeout, 'POST https://api.test/v1/chat/completions', secret);
  attempt.response = response;
  return attempt;
}
