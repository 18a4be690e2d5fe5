// `npx openai-chat-fetch-fake`: the package's fake API (`openai-chat-fetch/fake`) over HTTP on
// 127.0.0.1, for a page or an app under development to talk to without a key or a network.
// Built to dist/fake-server.js, which imports the fake from the package's own dist/fake.js.
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createFakeOpenAI } from 'openai-chat-fetch/fake';
import type { FakeFault, FakeOpenAIOptions, FakeReply } from 'openai-chat-fetch/fake';
import { serve } from './node-server.js';

const USAGE = `Usage: openai-chat-fetch-fake [options]

Serves the fake Chat Completions API of openai-chat-fetch on http://127.0.0.1:<port>/v1.

  --port <n>          the port on 127.0.0.1 (default 8787; 0 takes a free one)
  --replies <file>    a JSON array of replies used in turn (texts, completions, chunk lists,
                      answers); then the default: "Echo: " and the last user message
  --latency <ms>      wait this long before answering each request
  --fault <json>      a fault for the next request, e.g. '{"status":429}' (repeatable, used in order)
  --api-key <key>     accept only this key (repeatable): any other, or none, gets the API's 401
  --model <name>      know only this model (repeatable): any other gets the API's 404
  --origin <origin>   a page origin CORS allows (repeatable; '*' for any); by default pages on
                      localhost, 127.0.0.1 and [::1], any port
  --help              this text
`;

const DEFAULT_PORT = 8787;
const MAX_PORT = 65_535;
/** Node's timers fire at once past 2^31 - 1 ms. */
const MAX_LATENCY_MS = 2 ** 31 - 1;
/** Pages served from this machine, on any port: what a dev server (Vite, Next.js, a file server) serves. */
const LOCAL_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\]|[a-z0-9-]+\.localhost)(:\d+)?$/i;

/** What the flags ask for, checked. */
interface Settings {
  port: number;
  latencyMs: number;
  fake: FakeOpenAIOptions;
  faults: FakeFault[];
  allowOrigin: (origin: string) => boolean;
}

/** A mistake in the flags: said on stderr with the usage, exit code 2. */
class UsageError extends Error {}

function settingsOf(args: string[]): Settings | undefined {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      replies: { type: 'string' },
      latency: { type: 'string' },
      fault: { type: 'string', multiple: true },
      'api-key': { type: 'string', multiple: true },
      model: { type: 'string', multiple: true },
      origin: { type: 'string', multiple: true },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return undefined;
  const origins = values.origin ?? [];
  const fake: FakeOpenAIOptions = { apiKeys: values['api-key'], models: values.model };
  if (values.replies !== undefined) fake.replies = repliesFrom(values.replies);
  return {
    port: wholeNumber('--port', values.port ?? String(DEFAULT_PORT), MAX_PORT),
    latencyMs: wholeNumber('--latency', values.latency ?? '0', MAX_LATENCY_MS),
    fake,
    faults: (values.fault ?? []).map(faultOf),
    allowOrigin: origins.includes('*') ? () => true : (origin) => origins.includes(origin) || (!origins.length && LOCAL_ORIGIN.test(origin)),
  };
}

function wholeNumber(flag: string, text: string, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > max) throw new UsageError(`${flag} must be a whole number up to ${max}, got ${JSON.stringify(text)}.`);
  return value;
}

function repliesFrom(file: string): FakeReply[] {
  let replies: unknown;
  try {
    replies = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`--replies ${file}: ${(error as Error).message}`);
  }
  if (!Array.isArray(replies)) throw new UsageError(`--replies ${file}: expected a JSON array of replies.`);
  return replies as FakeReply[];
}

function faultOf(text: string): FakeFault {
  let fault: unknown;
  try {
    fault = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--fault ${text}: ${(error as Error).message}`);
  }
  if (!fault || typeof fault !== 'object' || Array.isArray(fault)) throw new UsageError(`--fault must be a JSON object such as '{"status":429}', got ${text}.`);
  return fault as FakeFault;
}

/** Serves the fake until SIGINT or SIGTERM; prints its URL first, then one line a request. */
async function main(settings: Settings): Promise<void> {
  const fake = createFakeOpenAI(settings.fake);
  fake.faults.push(...settings.faults);
  const handle = async (request: Request): Promise<Response> => {
    if (settings.latencyMs) await delay(settings.latencyMs, undefined, { signal: request.signal });
    const response = await fake.handle(request);
    console.log(`${request.method} ${new URL(request.url).pathname} ${response.status}`);
    return response;
  };
  const server = await serve(handle, { port: settings.port, allowOrigin: settings.allowOrigin });
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // Printed last: a script that waits for this line may stop the server as soon as it reads it.
  console.log(`openai-chat-fetch fake API on ${server.url} (baseURL: ${server.baseURL})`);
}

try {
  const settings = settingsOf(process.argv.slice(2));
  if (settings) await main(settings);
  else console.log(USAGE);
} catch (error) {
  const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  const taken = (error as { code?: string }).code === 'EADDRINUSE';
  console.error(taken ? `The port is taken: pass --port <n>, or --port 0 for a free one.` : (error as Error).message);
  if (usage) console.error(`\n${USAGE}`);
  process.exitCode = usage ? 2 : 1;
}
