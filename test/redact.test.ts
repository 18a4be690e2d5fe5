import { describe, expect, it } from 'vitest';
import { mentions, redactHeaders, redactString, redactText, redactValue } from '../src/redact.js';

describe('redaction', () => {
  const key = 'sk-test-SECRET';

  it('masks every occurrence in strings, arrays, object keys and values', () => {
    const value = { message: `bad key ${key} (${key})`, list: [key, 1, null], [key]: true, nested: { deep: `Bearer ${key}` } };
    const out = redactValue(value, key);
    expect(JSON.stringify(out)).not.toContain(key);
    expect(out).toEqual({
      message: 'bad key [REDACTED] ([REDACTED])',
      list: ['[REDACTED]', 1, null],
      '[REDACTED]': true,
      nested: { deep: 'Bearer [REDACTED]' },
    });
  });

  it('masks a key that JSON spelled with escapes, parsed or in raw text', () => {
    const raw = '{"message":"bad key \\u0073k-test-\\u0053ECRET","k":["\\u0073K-test-SECRET"]}';
    const parsed = JSON.parse(raw);
    // "\u0073K…" is sK-…: another string, left alone.
    expect(redactValue(parsed, key)).toEqual({ message: 'bad key [REDACTED]', k: ['sK-test-SECRET'] });
    expect(redactText(raw, key)).toBe('{"message":"bad key [REDACTED]","k":["\\u0073K-test-SECRET"]}');
    expect(redactText('"\\u0073k-test-\\u0053ECRET"', key)).toBe('"[REDACTED]"');
  });

  it('masks a key with characters that JSON escapes', () => {
    const odd = 'k"\\/y';
    expect(redactValue({ message: `echo ${odd} echo`, [odd]: 1 }, odd)).toEqual({ message: 'echo [REDACTED] echo', '[REDACTED]': 1 });
    expect(redactText(JSON.stringify({ message: `echo ${odd} echo` }), odd)).toBe('{"message":"echo [REDACTED] echo"}');
    expect(redactText('echo k\\"\\\\\\/y echo', odd)).toBe('echo [REDACTED] echo');
  });

  it('changes only the secret, whatever it looks like: null, a quote, a header name', () => {
    expect(redactValue({ a: null, b: 'null', n: 1 }, 'null')).toEqual({ a: null, b: '[REDACTED]', n: 1 });
    const headers = redactHeaders(new Headers({ 'x-request-id': 'req_1', 'retry-after': '1', echo: 'key re hxx' }), 're');
    expect(headers).toEqual({ echo: 'key [REDACTED] hxx', 'retry-after': '1', 'x-request-id': '[REDACTED]q_1' });
    expect(redactText('{"a":"x"}', '"')).toBe('{[REDACTED]a[REDACTED]:[REDACTED]x[REDACTED]}');
  });

  it('copies a deeply nested value without recursion, and keeps __proto__ keys as data', () => {
    let deep: unknown = 'sk-test-SECRET';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    let out = redactValue(deep, key) as unknown;
    for (let i = 0; i < 200_000; i++) out = (out as unknown[])[0];
    expect(out).toBe('[REDACTED]');
    const parsed = redactValue(JSON.parse('{"__proto__":{"polluted":1}}'), key);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('leaves values alone when there is no key', () => {
    const value = { a: 'x' };
    expect(redactValue(value, undefined)).toBe(value);
    expect(redactString('x', undefined)).toBe('x');
    expect(mentions('x', undefined)).toBe(false);
  });

  it('tells whether raw text mentions the key in any spelling', () => {
    expect(mentions(`a ${key}`, key)).toBe(true);
    expect(mentions('a \\u0073k-test-SECRET', key)).toBe(true);
    expect(mentions('a sk-test-SECRE', key)).toBe(false);
  });
});
