// The relay every runtime serves in test/runtimes/relay.test.ts, in front of the fake API the
// test serves on 127.0.0.1. Plain JavaScript with no imports, like smoke.mjs: `relayModule` is
// the installed `openai-chat-fetch/relay`, however the runtime loaded it.

/** The relay's own key for the upstream: the test looks for it upstream, and nowhere else. */
export const UPSTREAM_KEY = 'sk-relay-runtimes-0123456789abcdefghij';
/** A page's session, sent in a header of the app's own (a page's SDK sends no `Authorization` without `dangerouslyAllowBrowser`). */
export const SESSION_HEADER = 'x-session';
const SESSIONS = { 'session-ann': 'ann' };

/**
 * A fetch handler: the relay, plus `GET /usage`, what `onUsage` was told so far (this isolate's
 * record, for the test to read back). `origins` lets a page on another origin call it.
 */
export function relayHandler(relayModule, upstream, origins = []) {
  const usage = [];
  const relay = relayModule.createRelay({
    apiKey: UPSTREAM_KEY,
    baseURL: upstream,
    authorize(request) {
      const session = request.headers.get(SESSION_HEADER) ?? '';
      return Object.hasOwn(SESSIONS, session) ? { user: SESSIONS[session] } : null;
    },
    models: ['gpt-4o-mini'],
    origins,
    onUsage(report) {
      usage.push(report);
    },
  });
  return (request) => (request.method === 'GET' && new URL(request.url).pathname === '/usage' ? Response.json(usage) : relay(request));
}
