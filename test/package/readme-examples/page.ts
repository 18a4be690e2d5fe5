// Runs a README block that works on a page, in happy-dom, with page.html as its document. Its
// origin is PAGE_ORIGIN, where the handler block it pairs with is served, so a fetch of its own
// origin (`/api/…`) reaches that handler over HTTP, with the page's session cookie as a browser
// sends it; any other fetch (the SDK's own calls to the API) goes to the fake. A page has no
// environment: OPENAI_API_KEY is not set here. Prints what the page shows once the block has
// run, if the block changed it.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Window } from 'happy-dom';
import { createFakeOpenAI } from '../../../src/fake/index.js';

const origin = process.env.PAGE_ORIGIN;
const window = new Window({ url: origin ? `${origin}/` : 'http://localhost/' });
window.document.write(readFileSync(new URL('page.html', import.meta.url), 'utf8'));
// Signed in (the session cookie the test's own requests carry too).
window.document.cookie = 'session=readme-examples';

// What a browser has as globals; Node's own (fetch, streams, AbortController, …) stay.
const globals = globalThis as Record<string, unknown>;
for (const name of Object.getOwnPropertyNames(window)) {
  if (!(name in globalThis)) globals[name] = (window as unknown as Record<string, unknown>)[name];
}
Object.assign(globals, { window, document: window.document, navigator: window.navigator, location: window.location });

const nodeFetch = globalThis.fetch;
const fake = createFakeOpenAI();
globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
  const url = new URL(input instanceof Request ? input.url : String(input), window.location.href);
  if (url.origin !== window.location.origin) return fake(input instanceof Request ? input : url, init);
  if (!origin) throw new Error(`the page fetched ${url.pathname}, and no handler block in its README section answers it`);
  const request = new Request(input instanceof Request ? input : url, init);
  request.headers.set('cookie', window.document.cookie);
  return nodeFetch(request);
};

/** The page as a reader sees it: its text, the values in its fields, its data attributes. */
function shown(): string {
  const { document } = window;
  const lines = [document.body.textContent.trim()];
  for (const field of document.querySelectorAll('input, textarea, select')) {
    const { name, value } = field as unknown as { name: string; value: string };
    if (value) lines.push(`${name}: ${value}`);
  }
  for (const element of document.querySelectorAll('*')) {
    for (const [key, value] of Object.entries((element as unknown as { dataset: Record<string, string> }).dataset)) lines.push(`data-${key}: ${value}`);
  }
  return lines.filter(Boolean).join('\n');
}

const before = shown();
await import(pathToFileURL(process.argv[2]!).href);
const after = shown();
if (after !== before) console.log(`the page shows:\n${after}`);
await window.happyDOM.close();
