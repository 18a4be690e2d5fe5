// The local API the tests and `npm start` run against is the fake users get from
// `openai-chat-fetch/fake`: one implementation, tested once, served here also as `fetch`.
import { createFakeOpenAI } from '../../src/fake/index.js';
import type { FakeOpenAI, FakeOpenAIOptions } from '../../src/fake/index.js';

export type { FakeFault as Fault, FakeRequest as RecordedRequest, FakeStreamRecord as StreamRecord } from '../../src/fake/index.js';

export interface LocalAPI extends FakeOpenAI {
  fetch: typeof fetch;
}

export function createLocalAPI(options?: FakeOpenAIOptions): LocalAPI {
  const fake = createFakeOpenAI(options);
  return Object.assign(fake, { fetch: fake as typeof fetch });
}
