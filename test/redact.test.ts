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

  it('leaves values alone when there is no key', () => {
    const value = { a: 'x' };
    expect(redact(value, undefined)).toBe(value);
  });
});
