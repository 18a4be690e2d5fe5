import { describe, expect, it } from 'vitest';
import { finalHeaders, mergeHeaders } from '../../src/http/headers.js';

describe('mergeHeaders', () => {
  it('compares names case-insensitively, later layers winning', () => {
    expect(mergeHeaders({ Authorization: 'Bearer a', Accept: 'x' }, { authorization: 'Bearer b' })).toEqual({ authorization: 'Bearer b', accept: 'x' });
  });

  it('lets null remove a default and undefined leave it', () => {
    const merged = mergeHeaders({ authorization: 'Bearer a', accept: 'x' }, { AUTHORIZATION: null, Accept: undefined, 'api-key': 'k' });
    expect(merged).toEqual({ authorization: null, accept: 'x', 'api-key': 'k' });
    expect(finalHeaders(merged)).toEqual({ accept: 'x', 'api-key': 'k' });
  });
});
