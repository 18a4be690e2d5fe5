import { describe, expect, it } from 'vitest';
import { OpenAIError } from '../../src/errors.js';
import { buildURL, parseBaseURL } from '../../src/http/url.js';

const url = (base: string, path: string, ...queries: Record<string, unknown>[]) => buildURL(parseBaseURL(base), path, ...queries);

describe('buildURL', () => {
  it('joins baseURL and path with or without a trailing slash', () => {
    expect(url('https://api.example/v1', '/chat/completions')).toBe('https://api.example/v1/chat/completions');
    expect(url('https://api.example/v1/', '/chat/completions')).toBe('https://api.example/v1/chat/completions');
    expect(url('https://api.example/v1//', '/chat/completions')).toBe('https://api.example/v1/chat/completions');
    expect(url('  https://api.example/v1  ', '/chat/completions')).toBe('https://api.example/v1/chat/completions');
  });

  it('drops undefined and null query values and keeps falsy ones', () => {
    expect(url('http://h/v1', '/x', { after: undefined, model: null, limit: 0, order: 'asc' })).toBe('http://h/v1/x?limit=0&order=asc');
  });

  it('writes metadata as deepObject pairs, percent-encoded', () => {
    const parsed = new URL(url('http://h/v1', '/x', { metadata: { user: 'a b', 'k&y': 'v=1' } }));
    expect([...parsed.searchParams]).toEqual([
      ['metadata[user]', 'a b'],
      ['metadata[k&y]', 'v=1'],
    ]);
  });

  it("merges options.query after the endpoint's query (Azure's api-version)", () => {
    const built = url('https://r.openai.azure.com/openai/deployments/d', '/chat/completions', { limit: 2 }, { 'api-version': '2024-10-21', skip: undefined });
    expect(built).toBe('https://r.openai.azure.com/openai/deployments/d/chat/completions?limit=2&api-version=2024-10-21');
  });

  it("keeps the baseURL's own query, appends the path to its path, and lets a call's query replace a name", () => {
    expect(url('https://r.example/openai?api-version=2024-10-21', '/chat/completions', { limit: 2 })).toBe(
      'https://r.example/openai/chat/completions?api-version=2024-10-21&limit=2',
    );
    expect(url('https://r.example/openai/?api-version=1', '/x', {}, { 'api-version': '2' })).toBe('https://r.example/openai/x?api-version=2');
  });

  it('reads only own properties of query records: a polluted prototype adds no parameter', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = 'yes';
    try {
      expect(url('http://h/v1', '/x', { limit: 1 }, { metadata: { a: 'b' } })).toBe('http://h/v1/x?limit=1&metadata%5Ba%5D=b');
    } finally {
      delete proto.polluted;
    }
  });
});

describe('parseBaseURL', () => {
  it.each([
    ['api.openai.com/v1', /absolute URL with its scheme/],
    ['/v1', /absolute URL with its scheme/],
    ['', /absolute URL with its scheme/],
    ['ftp://h/v1', /http: or https:/],
    ['https://h/v1#frag', /#fragment/],
    ['https://h/v1#', /#fragment/],
    ['https://user:secret@h/v1', /user name or password/],
  ])('refuses %j as a usage error that quotes none of it', (input, message) => {
    let error: unknown;
    try {
      parseBaseURL(input);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(OpenAIError);
    expect((error as Error).message).toMatch(message);
    if (input.includes('secret')) expect((error as Error).message).not.toContain('secret');
  });
});
