import { describe, expect, it } from 'vitest';
import { redact } from '../src/redact.js';

describe('redact', () => {
  const key = 'sk-test-SECRET';

  it('masks every occurrence in strings, arrays, object keys and values', () => {
    const value = { message: `bad key ${key} (${key})`, list: [key, 1, null], [key]: true, nested: { deep: `Bearer ${key}` } };
    const out = JSON.stringify(redact(value, key));
    expect(out).not.toContain(key);
    expect(out).toContain('[REDACTED]');
    expect(redact(value, key).list).toEqual(['[REDACTED]', 1, null]);
  });

  it('masks a key that JSON spelled with escapes, once parsed', () => {
    const parsed = JSON.parse('{"message":"bad key \\u0073k-test-\\u0053ECRET","k":["\\u0073k-test-SECRET"]}');
    expect(parsed.message).toContain(key);
    expect(redact(parsed, key)).toEqual({ message: 'bad key [REDACTED]', k: ['[REDACTED]'] });
  });

  it('masks a key with characters that JSON escapes', () => {
    const odd = 'k"\\y';
    expect(redact({ message: `echo ${odd} echo`, [odd]: 1 }, odd)).toEqual({ message: 'echo [REDACTED] echo', '[REDACTED]': 1 });
  });

  it('leaves values alone when there is no key', () => {
    const value = { a: 'x' };
    expect(redact(value, undefined)).toBe(value);
  });
});
