import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { APIConnectionError, AuthenticationError, createChatCompletion, listChatCompletions } from '../src/index.js';
import type { RequestOptions } from '../src/index.js';
import { rerouted, useLocalAPI } from './server/setup.js';
import { caught } from './helpers/streams.js';
import { DENO, deno } from './runtimes/need.js';
import { REPO } from './runtimes/pack.js';
import { freePort } from './runtimes/process.js';
import { run } from './runtimes/run.js';

// Errors that say what to do: a 401 to a request that carried no key says so and how to give
// one; a connection error names its cause in its message (the code and words of the runtime's
// cause chain), not only in `error.cause`, without a URL's query or the key.
const { api, requestOptions } = useLocalAPI();
const KEY = 'sk-proj-ADVICE-0123456789abcdef';
const ask = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }] };
/** The API's answer to a request without a key, as an OpenAI-compatible server words it. */
const UNAUTHORIZED = { status: 401, body: { error: { message: 'Incorrect API key provided: .', type: 'invalid_request_error', code: 'invalid_api_key' } } };
const NO_KEY =
  /^401 Incorrect API key provided: \. \(no API key was sent: pass apiKey; OPENAI_API_KEY is read for OpenAI's own API only, and by Deno only with --allow-env\)$/;
afterEach(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
});

describe('a 401 to a request without a key', () => {
  for (const stream of [false, true]) {
    it(`says no key was sent and how to give one${stream ? ', to a streamed request' : ''}`, async () => {
      vi.stubEnv('OPENAI_API_KEY', '');
      api.faults.push(UNAUTHORIZED);
      const error = await caught(createChatCompletion({ ...ask, stream }, requestOptions()));
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error.message).toMatch(NO_KEY);
      // The API's own error object stays as it sent it.
      expect((error as AuthenticationError).error.message).toBe('Incorrect API key provided: .');
      expect(api.requests[0]!.headers.authorization).toBeUndefined();
    });
  }

  it.each<[string, RequestOptions]>([
    ['apiKey', { apiKey: KEY }],
    ['an apiKey function', { apiKey: () => KEY }],
    ['an Authorization header', { headers: { Authorization: `Bearer ${KEY}` } }],
    ["Azure's api-key header", { headers: { 'api-key': KEY } }],
  ])("gives only the API's words when a key went with %s", async (_, given) => {
    vi.stubEnv('OPENAI_API_KEY', '');
    api.faults.push({ status: 401, body: { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error' } } });
    const error = await caught(createChatCompletion(ask, requestOptions(given)));
    expect(error.message).toBe('401 Incorrect API key provided.');
  });

  it("gives only the API's words to a request with the environment's key (to OpenAI's API, taken to the local one)", async () => {
    vi.stubEnv('OPENAI_API_KEY', KEY);
    api.faults.push(UNAUTHORIZED);
    const error = await caught(createChatCompletion(ask, { maxRetries: 0, fetch: rerouted(() => requestOptions().baseURL!) }));
    expect(error.message).toBe('401 Incorrect API key provided: .');
    expect(api.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it("gives only the server's words for a 401 that is not about a key (a relay's: sign in)", async () => {
    vi.stubEnv('OPENAI_API_KEY', '');
    const signIn = 'The relay does not know who is calling: sign in, or send your session with the request.';
    api.faults.push({ status: 401, body: { error: { message: signIn, type: 'authentication_error', code: 'unauthorized' } } });
    const error = await caught(createChatCompletion(ask, requestOptions()));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toBe(`401 ${signIn}`);
  });

  it('Deno without --allow-env: the key in its environment is not read, and the 401 says how to give it', { timeout: 60_000 }, async () => {
    deno.check();
    api.faults.push(UNAUTHORIZED);
    const script = join(tmpdir(), `openai-chat-fetch-advice-${process.pid}.mjs`);
    writeFileSync(
      script,
      `import { createChatCompletion } from ${JSON.stringify(join(REPO, 'dist/index.js'))};
      // OpenAI's API, where the environment's key goes, taken to the local API.
      const fetchLocal = (url, init) => fetch(String(url).replace('https://api.openai.com/v1', Deno.args[0]), init);
      const options = { fetch: fetchLocal, maxRetries: 0 };
      const error = await createChatCompletion(${JSON.stringify(ask)}, options).catch((e) => e);
      console.log(JSON.stringify({ name: error.name, message: error.message }));`,
    );
    const env = { ...process.env, OPENAI_API_KEY: KEY, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
    const { stdout } = await run(DENO, ['run', '--allow-net', `--allow-read=${REPO}`, '--no-prompt', script, requestOptions().baseURL!], {
      cwd: tmpdir(),
      env,
    });
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({ name: 'AuthenticationError', message: expect.stringMatching(NO_KEY) });
    expect(api.requests[0]!.headers.authorization).toBeUndefined();
  });
});

describe('a connection error names its cause', () => {
  it('ECONNREFUSED: nothing listens on the port', async () => {
    const port = await freePort();
    const error = await caught(createChatCompletion(ask, { baseURL: `http://127.0.0.1:${port}/v1`, apiKey: KEY, maxRetries: 0 }));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error.message).toBe(`Connection error: connect ECONNREFUSED 127.0.0.1:${port} (POST http://127.0.0.1:${port}/v1/chat/completions).`);
    expect((error.cause as Error).message).toBe('fetch failed');
  });

  it('ENOTFOUND: a host name that does not resolve, its query kept out', async () => {
    const baseURL = `http://openai-chat-fetch.invalid/v1?api-version=2024-10-21&sig=${KEY}`;
    const error = await caught(listChatCompletions({ limit: 1 }, { baseURL, apiKey: KEY, maxRetries: 0 }));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error.message).toBe('Connection error: getaddrinfo ENOTFOUND openai-chat-fetch.invalid (GET http://openai-chat-fetch.invalid/v1/chat/completions).');
  });

  it('a certificate the runtime does not trust: its code and words', async () => {
    const tls = join(REPO, 'test/fixtures/tls');
    const server = createServer({ key: readFileSync(join(tls, 'key.pem')), cert: readFileSync(join(tls, 'cert.pem')) }, (_, res) => res.end('{}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const error = await caught(createChatCompletion(ask, { baseURL: `https://127.0.0.1:${port}/v1`, apiKey: KEY, maxRetries: 0 }));
      expect(error).toBeInstanceOf(APIConnectionError);
      expect(error.message).toBe(
        `Connection error: DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate (POST https://127.0.0.1:${port}/v1/chat/completions).`,
      );
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a stream cut by the server: what the runtime saw of the socket', async () => {
    api.faults.push({ cutAfterChunks: 2, cutMode: 'error' });
    const stream = await createChatCompletion({ ...ask, stream: true }, requestOptions({ apiKey: KEY }));
    const error = await caught(
      (async () => {
        for await (const chunk of stream) void chunk;
      })(),
    );
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error.message).toMatch(
      /^Connection error: (UND_ERR_SOCKET: other side closed|terminated) \(POST http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions\)\.$/,
    );
  });

  it("quotes neither the key nor a URL's query from the runtime's words", async () => {
    const cause = Object.assign(new Error(`error sending request for url (https://proxy.test/v1/chat/completions?key=${KEY}#x): Bearer ${KEY} refused`), {
      code: 'ECONNRESET',
    });
    const fetch = async () => {
      throw new TypeError('fetch failed', { cause });
    };
    const error = await caught(createChatCompletion(ask, { fetch, apiKey: KEY, maxRetries: 0 }));
    expect(error.message).toBe(
      'Connection error: ECONNRESET: error sending request for url (https://proxy.test/v1/chat/completions): Bearer [REDACTED] refused (POST https://api.openai.com/v1/chat/completions).',
    );
  });

  it('in a page, where the browser says only "Failed to fetch": blocked or unreachable, and check CORS', async () => {
    vi.stubEnv('OPENAI_API_KEY', '');
    vi.stubGlobal('window', { document: {} });
    vi.stubGlobal('navigator', {});
    const fetch = async () => {
      throw new TypeError('Failed to fetch');
    };
    const error = await caught(listChatCompletions({}, { fetch, baseURL: 'http://127.0.0.1:8787/v1', maxRetries: 0 }));
    expect(error.message).toBe(
      'Connection error: Failed to fetch: the browser blocked it (check the server allows this page by CORS) or could not connect (GET http://127.0.0.1:8787/v1/chat/completions).',
    );
  });

  it('says nothing more of a cause whose getters throw, or that has no words', async () => {
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('trap');
        },
      },
    );
    for (const thrown of [hostile, {}, 'text']) {
      const fetch = async () => {
        throw thrown;
      };
      const error = await caught(listChatCompletions({}, { fetch, apiKey: KEY, maxRetries: 0 }));
      expect(error).toBeInstanceOf(APIConnectionError);
      expect(error.message).toBe('Connection error (GET https://api.openai.com/v1/chat/completions).');
    }
  });
});
