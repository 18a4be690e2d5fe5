import { expect } from 'vitest';
import type { RecordedRequest } from '../server/handler.js';

/** How many requests smoke.mjs makes: the list expectScenario holds. A page goes on after them. */
export const SMOKE_REQUESTS = 13;

/** What project/smoke.mjs returns; runners that know it add where the package resolved. */
export interface SmokeResult {
  run: string;
  ms: number;
  ids: string[];
  streamed: string;
  error: { name: string; status: number; requestId: string };
  entry?: string;
}

/**
 * Holds a runtime's own report against what the local API saw: every request of the scenario,
 * in order, with the pages following `after`, and the credentials and origin expected there.
 */
export function expectScenario(requests: RecordedRequest[], result: SmokeResult, expected: { authorization: string | undefined; origin?: string }): void {
  expect(result.streamed).toBe('Echo: café ☕ 日本語 🎉');
  expect(result.error).toEqual({ name: 'NotFoundError', status: 404, requestId: expect.stringMatching(/^req_fake\d+$/) });
  const [first, second, third] = result.ids;
  expect(new Set(result.ids).size).toBe(3);
  const collection = '/v1/chat/completions';
  const item = `${collection}/${first}`;
  const tagged = `metadata[run]=${result.run}`;
  expect(requests.map(line)).toEqual([
    `POST ${collection}`,
    `GET ${item}`,
    `GET ${item}/messages?limit=10`,
    `GET ${collection}?limit=10&${tagged}`,
    `POST ${item}`,
    `POST ${collection} (stream)`,
    `POST ${collection}`,
    `POST ${collection}`,
    `GET ${collection}?limit=1&${tagged}`,
    `GET ${collection}?after=${first}&limit=1&${tagged}`,
    `GET ${collection}?after=${second}&limit=1&${tagged}`,
    `DELETE ${item}`,
    `GET ${item}`,
  ]);
  expect(third).toMatch(/^chatcmpl-/);
  for (const request of requests) {
    expect(request.headers.authorization, line(request)).toBe(expected.authorization);
    if (expected.origin) expect(request.headers.origin, line(request)).toBe(expected.origin);
  }
}

function line(request: RecordedRequest): string {
  const url = new URL(request.url);
  const query = [...url.searchParams]
    .map(([key, value]) => `${key}=${value}`)
    .sort()
    .join('&');
  const streamed = (request.body as { stream?: boolean } | undefined)?.stream === true;
  return `${request.method} ${url.pathname}${query ? `?${query}` : ''}${streamed ? ' (stream)' : ''}`;
}
