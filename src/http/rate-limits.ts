import { defineOwn } from '../own.js';

/** One rate limit of an account: how much a window allows, how much is left, and when it refills. */
export interface RateLimit {
  /** `x-ratelimit-limit-<name>`: the most the window allows. */
  limit?: number;
  /** `x-ratelimit-remaining-<name>`: what is left of it now. */
  remaining?: number;
  /** `x-ratelimit-reset-<name>` in milliseconds: how long until the window is full again. */
  resetMs?: number;
}

/** The limits a response reported, by name: `requests` and `tokens` from OpenAI, others from compatible servers. */
export type RateLimits = { requests?: RateLimit; tokens?: RateLimit } & Record<string, RateLimit | undefined>;

const HEADER = /^x-ratelimit-(limit|remaining|reset)-(.+)$/;
const FIELD = { limit: 'limit', remaining: 'remaining', reset: 'resetMs' } as const;
/** One `<number><unit>` run of a duration such as `6m0s`, `1m30.5s`, `250ms`, `1h2m`. */
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
/**
 * A decimal number, as the headers write counts and seconds: `Number()` alone would also take
 * `0x10`, `0b11`, `1e3`, `-1` and `Infinity`, none of which a server means as a count.
 */
const DECIMAL = /^\d+(?:\.\d+)?$/;

/**
 * Reads `x-ratelimit-limit-*`, `-remaining-*` and `-reset-*` headers into numbers, the resets in
 * milliseconds (OpenAI writes them as durations: `6m0s`, `1m30.5s`, `250ms`; a bare number is
 * seconds). Only decimal numbers are read (no sign, exponent or `0x`); a value that does not
 * parse is left out, never a NaN.
 *
 * @example
 * parseRateLimits({ 'x-ratelimit-remaining-tokens': '149984', 'x-ratelimit-reset-tokens': '6m0s' });
 * // { tokens: { remaining: 149984, resetMs: 360000 } }
 */
export function parseRateLimits(headers: Headers | Record<string, string | undefined>): RateLimits {
  const limits: RateLimits = {};
  const entries = headers instanceof Headers ? [...headers] : Object.entries(headers);
  for (const [name, value] of entries) {
    const match = HEADER.exec(name.toLowerCase());
    if (!match || typeof value !== 'string') continue;
    const [, kind, limitName] = match as unknown as [string, keyof typeof FIELD, string];
    const number = kind === 'reset' ? durationMs(value) : decimal(value.trim());
    if (!Number.isFinite(number)) continue;
    // Names come from the server: defined as own data, so `__proto__` stays a name.
    if (!Object.hasOwn(limits, limitName)) defineOwn(limits, limitName, {});
    (limits[limitName] as Record<string, number>)[FIELD[kind]] = number;
  }
  return limits;
}

/** A decimal number of the text; NaN for anything else (a sign, an exponent, hexadecimal, nothing). */
const decimal = (text: string): number => (DECIMAL.test(text) ? Number(text) : NaN);

/** `6m0s` → 360000; `250ms` → 250; `1.5` (seconds) → 1500; NaN for anything else. */
function durationMs(text: string): number {
  const value = text.trim();
  if (DECIMAL.test(value)) return Number(value) * 1000;
  let total = 0;
  let consumed = 0;
  for (const [part, amount, unit] of value.matchAll(DURATION_PART)) {
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
    consumed += part.length;
  }
  return consumed === value.length && consumed > 0 ? total : NaN;
}
