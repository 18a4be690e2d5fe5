import { local, need } from './need.js';
import type { Needed } from './need.js';
import { CHROMIUM, FIREFOX } from './puppeteer.js';
import { MINIBROWSER, WEBKIT_DRIVER, XVFB } from './webkit.js';

/** The browser engines the page scenarios run in. */
export type Engine = 'Chromium' | 'Firefox' | 'WebKit';

export const ENGINES: Engine[] = ['Chromium', 'Firefox', 'WebKit'];

/** What each engine needs on the machine, and how to get it (.ci/run installs all three). */
export const ENGINE_NEEDS: Record<Engine, Needed> = {
  Chromium: need('Chromium', [CHROMIUM, local('puppeteer-core/package.json')], 'apt-get install -y chromium; npm ci installs puppeteer-core'),
  Firefox: need('Firefox', [FIREFOX, local('puppeteer-core/package.json')], 'apt-get install -y firefox-esr; npm ci installs puppeteer-core'),
  WebKit: need('WebKit', [XVFB, WEBKIT_DRIVER, MINIBROWSER], 'apt-get install -y webkit2gtk-driver xvfb'),
};

/**
 * One browser with one tab, the same few calls whatever drives it (CDP, WebDriver BiDi or
 * classic WebDriver), so one scenario serves every engine.
 */
export interface Driver {
  engine: Engine;
  /** The browser's own name and version, e.g. `chrome 156.0.8078.114`. */
  version: string;
  /** Milliseconds from spawning the browser to a tab ready for `open`. */
  launchMs: number;
  /** Navigates the tab to `url` and waits for its load event. */
  open(url: string): Promise<void>;
  /**
   * Evaluates `expression` in the page, waits if it is a promise, and resolves with its value
   * as JSON carries it; a throw or rejection in the page rejects here with the page's message.
   */
  run<T>(expression: string): Promise<T>;
  /** Ends the browser and every process started for it; safe to call twice. */
  close(): Promise<void>;
}

/** Starts `engine` headless (WebKit: under its own virtual display). */
export async function launch(engine: Engine): Promise<Driver> {
  if (engine === 'WebKit') return (await import('./webkit.js')).launchWebKit();
  return (await import('./puppeteer.js')).launchWithPuppeteer(engine);
}
