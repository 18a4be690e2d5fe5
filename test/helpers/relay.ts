import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createFakeOpenAI } from '../../src/fake/index.js';
import type { FakeOpenAIOptions } from '../../src/fake/index.js';
import { createRelay, toNodeListener } from '../../src/relay/index.js';
import type { RelayErrorReport, RelayOptions, UsageReport } from '../../src/relay/index.js';
import type { RequestOptions } from '../../src/index.js';
import { serve } from '../server/http.js';
import type { Served } from '../server/http.js';

/** The relay's key for the upstream: long enough to be masked wherever it appears. */
export const UPSTREAM_KEY = 'sk-relay-upstream-0123456789abcdefghij';
/** The session tokens test pages send, and whose they are. */
export const USERS: Record<string, string> = { 'token-alice': 'alice', 'token-bob': 'bob' };

/** `authorize` for the tests: a known bearer token is its user, anything else is refused. */
export function byToken(request: Request): { user: string } | null {
  const token = request.headers.get('authorization')?.replace(/^Bearer /, '') ?? '';
  return Object.hasOwn(USERS, token) ? { user: USERS[token]! } : null;
}

/**
 * For one test file: the fake as the upstream over real HTTP, and a relay in front of it served
 * from Node's HTTP server through `toNodeListener`, both on 127.0.0.1. Each test starts with a
 * relay of the default options below (`use(more)` replaces it), an empty fake, and empty
 * records of what `onUsage` and `onError` heard.
 */
export function useRelay(fakeOptions?: FakeOpenAIOptions) {
  const fake = createFakeOpenAI(fakeOptions);
  const sockets = new Set<Socket>();
  let handler: (request: Request) => Promise<Response>;
  const server = createServer(toNodeListener((request) => handler(request)));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const state = {
    fake,
    upstream: {} as Served,
    /** `http://127.0.0.1:<port>` of the relay. */
    url: '',
    usage: [] as UsageReport[],
    errors: [] as RelayErrorReport[],
    /** The relay's options for this test: the defaults, with `more` on top. */
    options(more: Partial<RelayOptions> = {}): RelayOptions {
      return {
        apiKey: UPSTREAM_KEY,
        baseURL: state.upstream.baseURL,
        upstream: {},
        authorize: byToken,
        models: ['gpt-4o-mini'],
        onUsage: (report) => void state.usage.push(report),
        onError: (report) => void state.errors.push(report),
        ...more,
      };
    },
    /** Replaces this test's relay. */
    use(more: Partial<RelayOptions> = {}): void {
      handler = createRelay(state.options(more));
    },
    /** What the page's SDK is given: the relay as its base URL, a session token as its key, no retries. */
    page(more: RequestOptions = {}): RequestOptions {
      return { baseURL: `${state.url}/v1`, apiKey: 'token-alice', maxRetries: 0, ...more };
    },
  };
  beforeAll(async () => {
    state.upstream = await serve(fake.handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
    await state.upstream.close();
  });
  beforeEach(() => {
    fake.reset();
    state.usage.length = 0;
    state.errors.length = 0;
    state.use();
  });
  return state;
}
