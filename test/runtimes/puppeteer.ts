import type { Driver, Engine } from './driver.js';

export const CHROMIUM = '/usr/bin/chromium';
/** Debian's Firefox ESR, which puppeteer-core drives over WebDriver BiDi. */
export const FIREFOX = '/usr/bin/firefox-esr';
// Without these the system Chromium stalls here (sandbox as root, GPU, background fetches).
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** The longest a navigation or one `run` may take. */
const STEP_MS = 30_000;

/** Chromium (over CDP) or Firefox (over WebDriver BiDi), headless, through puppeteer-core. */
export async function launchWithPuppeteer(engine: Exclude<Engine, 'WebKit'>): Promise<Driver> {
  const puppeteer = (await import('puppeteer-core')).default;
  const started = performance.now();
  const browser =
    engine === 'Firefox'
      ? await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true, protocolTimeout: STEP_MS })
      : await puppeteer.launch({ browser: 'chrome', executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true, protocolTimeout: STEP_MS });
  try {
    const tab = (await browser.pages())[0] ?? (await browser.newPage());
    tab.setDefaultTimeout(STEP_MS);
    const version = await browser.version();
    const launchMs = Math.round(performance.now() - started);
    let closed = false;
    return {
      engine,
      version,
      launchMs,
      async open(url) {
        await tab.goto(url, { waitUntil: 'load' });
      },
      async run<T>(expression: string) {
        try {
          return (await tab.evaluate(expression)) as T;
        } catch (error) {
          throw new Error(`the page threw: ${(error as Error).message}`);
        }
      },
      async close() {
        if (closed) return;
        closed = true;
        await browser.close();
      },
    };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
