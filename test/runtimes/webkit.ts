import type { Driver } from './driver.js';
import { freePort, start, waitUntil } from './process.js';
import type { Started } from './process.js';

export const XVFB = '/usr/bin/Xvfb';
export const WEBKIT_DRIVER = '/usr/bin/WebKitWebDriver';
/** WebKitGTK's reference browser, Safari's engine; `webkit2gtk-driver` depends on it. */
export const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** How long Xvfb, the driver and the browser may take to come up. */
const STARTUP_MS = 15_000;
/** How long one `run` may take in the page before WebDriver gives up on it. */
const SCRIPT_MS = 30_000;

/**
 * WebKit as WebKitGTK's MiniBrowser, through WebKitWebDriver's W3C WebDriver over plain HTTP.
 * MiniBrowser has no headless mode, so it gets a virtual display of its own (Xvfb); the driver
 * must find `DISPLAY` in its own environment, since it is the one that spawns the browser.
 */
export async function launchWebKit(): Promise<Driver> {
  const started = performance.now();
  const helpers: Started[] = [];
  const stopAll = async () => {
    // Newest first: the driver (and the browser in its group) before the display it draws on.
    const stopping = helpers.splice(0).reverse();
    for (const helper of stopping) await helper.stop();
  };
  try {
    const display = await startDisplay(helpers);
    const port = await freePort();
    const driver = start(WEBKIT_DRIVER, [`--port=${port}`], { env: { ...process.env, DISPLAY: display }, group: true });
    helpers.push(driver);
    const endpoint = `http://127.0.0.1:${port}`;
    await waitUntil(() => isReady(endpoint), `WebKitWebDriver did not answer on ${endpoint}: ${driver.output()}`, STARTUP_MS);
    const session = await newSession(endpoint);
    const launchMs = Math.round(performance.now() - started);
    return webDriver(`${endpoint}/session/${session.id}`, session.version, launchMs, stopAll);
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Xvfb on the first free display number, which it reports itself (no guessing, no races). */
async function startDisplay(helpers: Started[]): Promise<string> {
  const xvfb = start(XVFB, ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
  helpers.push(xvfb);
  const reported = new Promise<string>((resolve, reject) => {
    let text = '';
    const fd = xvfb.child.stdio[3] as NodeJS.ReadableStream;
    fd.setEncoding('utf8');
    fd.on('data', (part: string) => {
      text += part;
      if (text.includes('\n')) resolve(`:${text.trim()}`);
    });
    xvfb.child.on('exit', (code) => reject(new Error(`Xvfb exited with ${code}: ${xvfb.output()}`)));
    setTimeout(() => reject(new Error(`Xvfb reported no display within ${STARTUP_MS} ms: ${xvfb.output()}`)), STARTUP_MS).unref();
  });
  return reported;
}

async function isReady(endpoint: string): Promise<boolean> {
  try {
    const { ready } = (await call('GET', `${endpoint}/status`)) as { ready?: boolean };
    return ready === true;
  } catch {
    return false;
  }
}

async function newSession(endpoint: string): Promise<{ id: string; version: string }> {
  const capabilities = {
    browserName: 'MiniBrowser',
    timeouts: { script: SCRIPT_MS, pageLoad: SCRIPT_MS },
    'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
  };
  const value = (await call('POST', `${endpoint}/session`, { capabilities: { alwaysMatch: capabilities } })) as {
    sessionId: string;
    capabilities: { browserName: string; browserVersion: string };
  };
  return { id: value.sessionId, version: `${value.capabilities.browserName} ${value.capabilities.browserVersion}` };
}

function webDriver(session: string, version: string, launchMs: number, stopAll: () => Promise<void>): Driver {
  let closed = false;
  return {
    engine: 'WebKit',
    version,
    launchMs,
    async open(url) {
      await call('POST', `${session}/url`, { url });
    },
    async run<T>(expression: string) {
      // The last argument of an async script is its callback; a rejection comes back as data,
      // so the page's own message reaches the test instead of a bare "javascript error".
      const script = `const done = arguments[arguments.length - 1];
        Promise.resolve().then(() => (${expression})).then(
          (value) => done({ value: value === undefined ? null : value }),
          (error) => done({ error: error instanceof Error ? error.name + ': ' + error.message + ' at ' + error.stack : String(error) }));`;
      const answer = (await call('POST', `${session}/execute/async`, { script, args: [] })) as { value?: T; error?: string };
      if (answer.error !== undefined) throw new Error(`the page threw: ${answer.error}`);
      return answer.value as T;
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await call('DELETE', session);
      } finally {
        await stopAll();
      }
    },
  };
}

/** One WebDriver command: its `value`, or its error as an Error with the driver's message. */
async function call(method: string, url: string, body?: unknown): Promise<unknown> {
  // Longer than any script may run, so a hung driver fails the test instead of hanging it.
  const init: RequestInit = { method, headers: { 'content-type': 'application/json; charset=utf-8' }, signal: AbortSignal.timeout(SCRIPT_MS + STARTUP_MS) };
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await fetch(url, init);
  const answer = (await response.json()) as { value: unknown };
  if (response.ok) return answer.value;
  const { error, message } = answer.value as { error?: string; message?: string };
  throw new Error(`WebDriver ${method} ${new URL(url).pathname}: ${response.status} ${error}: ${message}`);
}
