import { afterAll, beforeAll } from 'vitest';
import { createFakeOpenAI } from '../../src/fake/index.js';
import type { FakeReply } from '../../src/fake/index.js';
import type { RequestOptions } from '../../src/index.js';
import { serve } from '../server/http.js';
import type { Served } from '../server/http.js';

/**
 * A fake whose replies a test file scripts (`next` gives the next one, undefined for the
 * default), served over real HTTP for the file's tests, and the options to reach it either way.
 */
export function useScriptedFake(next: () => FakeReply | undefined) {
  const fake = createFakeOpenAI({ replies: next });
  const server = {} as Served;
  beforeAll(async () => {
    Object.assign(server, await serve(fake.handle));
  });
  afterAll(() => server.close());
  return {
    fake,
    server,
    overHTTP: (): RequestOptions => ({ baseURL: server.baseURL, apiKey: 'sk-test', maxRetries: 0 }),
    inProcess: (): RequestOptions => ({ fetch: fake, apiKey: 'sk-test' }),
  };
}
