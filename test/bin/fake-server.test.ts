import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  AuthenticationError,
  NotFoundError,
  RateLimitError,
  accumulateChatCompletion,
  createChatCompletion,
  getChatCompletion,
} from '../../src/index.js';
import { inBrowser } from '../runtimes/browser.js';
import { ENGINE_NEEDS, launch } from '../runtimes/driver.js';
import { REPO, packed } from '../runtimes/pack.js';
import { start, waitUntil } from '../runtimes/process.js';
import type { Started } from '../runtimes/process.js';
import { run } from '../runtimes/run.js';

// `npx openai-chat-fetch-fake` as users get it: the packed package installed in a throwaway
// project, its command started as a child process, then driven by the SDK from Node and by a
// page in Chromium on another local origin.
const STARTUP_MS = 15_000;
let project: string;
let command: string;
beforeAll(async () => {
  ({ project } = await packed());
  command = join(project, 'node_modules/.bin/openai-chat-fetch-fake');
}, 180_000);

const running: Started[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.stop();
});

/** Starts the command with `args` on a free port; resolves with its base URL once it printed it. */
async function fakeServer(...args: string[]): Promise<{ baseURL: string; server: Started }> {
  const server = start(command, ['--port', '0', ...args]);
  running.push(server);
  let baseURL = '';
  await waitUntil(
    async () => {
      baseURL = /\(baseURL: (http:\/\/127\.0\.0\.1:\d+\/v1)\)/.exec(server.output())?.[1] ?? '';
      return baseURL !== '';
    },
    `the command printed no URL: ${server.output()}`,
    STARTUP_MS,
  );
  return { baseURL, server };
}

const ask = (content: string) => ({ model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content }] });

describe('the command, driven by the SDK', () => {
  it('serves replies from a file in turn, then the default, after the faults it was given', { timeout: 60_000 }, async () => {
    const replies = join(project, 'replies.json');
    writeFileSync(replies, JSON.stringify(['First reply.', 'Second, streamed.']));
    const { baseURL, server } = await fakeServer('--replies', replies, '--fault', '{"status":429}');
    const options = { baseURL, apiKey: 'sk-dev', maxRetries: 0 };

    await expect(createChatCompletion(ask('hi'), options)).rejects.toBeInstanceOf(RateLimitError);
    const first = await createChatCompletion({ ...ask('hi'), store: true }, options);
    expect(first.choices[0]!.message.content).toBe('First reply.');
    const streamed = await accumulateChatCompletion(await createChatCompletion({ ...ask('hi'), stream: true }, options));
    expect(streamed.choices[0]!.message.content).toBe('Second, streamed.');
    expect((await createChatCompletion(ask('café ☕'), options)).choices[0]!.message.content).toBe('Echo: café ☕');
    expect((await getChatCompletion(first.id, options)).id).toBe(first.id);

    // One line a request, after the URL.
    expect(server.output()).toMatch(/POST \/v1\/chat\/completions 429\nPOST \/v1\/chat\/completions 200\n/);
  });

  it('checks keys and models when given --api-key and --model: the API 401 and 404', { timeout: 30_000 }, async () => {
    const { baseURL } = await fakeServer('--api-key', 'sk-dev', '--model', 'gpt-4o-mini');
    vi.stubEnv('OPENAI_API_KEY', '');
    const keyless = await createChatCompletion(ask('hi'), { baseURL, maxRetries: 0 }).catch((e: unknown) => e);
    vi.unstubAllEnvs();
    expect(keyless).toBeInstanceOf(AuthenticationError);
    expect((keyless as Error).message).toMatch(/^401 You didn't provide an API key\..* \(no API key was sent: pass apiKey/);
    const wrongKey = await createChatCompletion(ask('hi'), { baseURL, maxRetries: 0, apiKey: 'sk-other' }).catch((e: unknown) => e);
    expect(wrongKey).toMatchObject({ name: 'AuthenticationError', status: 401, code: 'invalid_api_key' });
    const options = { baseURL, maxRetries: 0, apiKey: 'sk-dev' };
    const unknown = await createChatCompletion({ ...ask('hi'), model: 'gpt-imaginary' }, options).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect(unknown).toMatchObject({ status: 404, code: 'model_not_found' });
    expect((await createChatCompletion(ask('hi'), options)).choices[0]!.message.content).toBe('Echo: hi');
  });

  it('waits --latency ms before answering: a shorter time-out gives up', { timeout: 30_000 }, async () => {
    const { baseURL } = await fakeServer('--latency', '60000');
    const error = await createChatCompletion(ask('hi'), { baseURL, maxRetries: 0, timeout: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
  });

  it('stops on SIGTERM with exit code 0', { timeout: 30_000 }, async () => {
    const { server } = await fakeServer();
    const exited = new Promise<number | null>((resolve) => server.child.on('exit', (code) => resolve(code)));
    server.child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses a bad flag with the usage and exit code 2, and a taken port with exit code 1', { timeout: 30_000 }, async () => {
    const bad = await run(command, ['--latency', 'soon'], { cwd: project, okCodes: [2] });
    expect(bad.stderr).toMatch(/^--latency must be a whole number up to 2147483647, got "soon"\.\n\nUsage: openai-chat-fetch-fake/);
    const { baseURL } = await fakeServer();
    const taken = await run(command, ['--port', new URL(baseURL).port], { cwd: project, okCodes: [1] });
    expect(taken.stderr).toBe('The port is taken: pass --port <n>, or --port 0 for a free one.\n');
  });
});

/**
 * A page's script, bundled from the built package: a whole answer and a streamed one from the
 * command, or, when the command does not allow the page's origin, the error the SDK gives.
 */
const PAGE = `
import { createChatCompletion } from 'openai-chat-fetch';

const api = new URL(location.href).searchParams.get('api');
const ask = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'from a page' }] };

async function talk() {
  try {
    const whole = await createChatCompletion(ask, { baseURL: api, maxRetries: 0 });
    let streamed = '';
    for await (const chunk of await createChatCompletion({ ...ask, stream: true }, { baseURL: api, maxRetries: 0 }))
      streamed += chunk.choices[0]?.delta.content ?? '';
    return { whole: whole.choices[0].message.content, streamed, origin: location.origin };
  } catch (error) {
    return { error: { name: error.name, message: error.message }, origin: location.origin };
  }
}

window.smokeResult = talk();
`;

describe('the command, driven by a page in Chromium', () => {
  let script: string;
  beforeAll(async () => {
    const bundle = await build({
      stdin: { contents: PAGE, resolveDir: REPO, loader: 'js' },
      bundle: true,
      format: 'esm',
      write: false,
      alias: { 'openai-chat-fetch': join(REPO, 'dist/index.js') },
    });
    script = bundle.outputFiles[0]!.text;
  });

  it('answers a page on another local origin (CORS), whole and streamed', { timeout: 60_000 }, async () => {
    ENGINE_NEEDS.Chromium.check();
    const { baseURL, server } = await fakeServer();
    const driver = await launch('Chromium');
    try {
      const { result, origin } = await inBrowser<{ whole: string; streamed: string; origin: string }>(driver, script, baseURL);
      expect(result).toEqual({ whole: 'Echo: from a page', streamed: 'Echo: from a page', origin });
      expect(origin).not.toBe(new URL(baseURL).origin);
      expect(server.output()).toMatch(/POST \/v1\/chat\/completions 200\nPOST \/v1\/chat\/completions 200\n/);
    } finally {
      await driver.close();
    }
  });

  it("refuses a page whose origin it was not given, and the SDK's error says the browser blocked it (CORS)", { timeout: 60_000 }, async () => {
    ENGINE_NEEDS.Chromium.check();
    const { baseURL } = await fakeServer('--origin', 'http://app.example');
    const driver = await launch('Chromium');
    try {
      const { result } = await inBrowser<{ error: { name: string; message: string } }>(driver, script, baseURL);
      expect(result.error.name).toBe(new APIConnectionError('').name);
      expect(result.error.message).toBe(
        `Connection error: Failed to fetch: the browser blocked it (check the server allows this page by CORS) or could not connect (POST ${baseURL}/chat/completions).`,
      );
    } finally {
      await driver.close();
    }
  });
});
