import { describe, expect, it } from 'vitest';
import { buildURL } from '../src/url.js';

describe('buildURL', () => {
  it('joins baseURL and path with or without a trailing slash', () => {
    expect(buildURL('https://api.example/v1', '/chat/completions')).toBe('https://api.example/v1/chat/completions');
    expect(buildURL('https://api.example/v1/', '/chat/completions')).toBe('https://api.example/v1/chat/completions');
    expect(buildURL('https://api.example/v1//', '/chat/completions')).toBe('https://api.example/v1/chat/completions');
  });

  it('drops undefined and null query values and keeps falsy ones', () => {
    const url = buildURL('http://h/v1', '/x', { after: undefined, model: null, limit: 0, order: 'asc' });
    expect(url).toBe('http://h/v1/x?limit=0&order=asc');
  });

  it('writes metadata as deepObject pairs, percent-encoded', () => {
    const url = new URL(buildURL('http://h/v1', '/x', { metadata: { user: 'a b', 'k&y': 'v=1' } }));
    expect([...url.searchParams]).toEqual([
      ['metadata[user]', 'a b'],
      ['metadata[k&y]', 'v=1'],
    ]);
  });

  it("merges options.query after the endpoint's query (Azure's api-version)", () => {
    const url = buildURL('https://r.openai.azure.com/openai/deployments/d', '/chat/completions', { limit: 2 }, { 'api-version': '2024-10-21', skip: undefined });
    expect(url).toBe('https://r.openai.azure.com/openai/deployments/d/chat/completions?limit=2&api-version=2024-10-21');
  });
});
