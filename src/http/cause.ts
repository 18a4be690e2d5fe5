import { excerpt } from '../errors.js';
import type { Secrets } from '../redact.js';
import { isBrowser } from './env.js';

/** How far a cause chain is followed: Node's fetch (undici) puts the code two levels down. */
const MAX_DEPTH = 5;
/** A URL's query and fragment: Deno's messages quote the URL, and a query may hold a key. */
const URL_TAIL = /(\/\/[^\s?#()]*)[?#][^\s()]*/g;
/**
 * A page learns nothing more: browsers give the same bare TypeError ("Failed to fetch",
 * "NetworkError when attempting to fetch resource.", "Load failed") for a refused connection,
 * an unknown host and a response their CORS check refused, and log the reason only to the console.
 */
const IN_A_PAGE = ': the browser blocked it (check the server allows this page by CORS) or could not connect';

/**
 * What made a fetch or a body read fail, for the message of the connection error: the deepest
 * code and message of the runtime's cause chain (`fetch failed` → `connect ECONNREFUSED
 * 127.0.0.1:8787`), with a URL's query and the request's secrets taken out, or, in a page, what the browser
 * hides. Empty when nothing is said.
 */
export function describeCause(thrown: unknown, secrets: Secrets | undefined): string {
  let code = '';
  let message = '';
  try {
    let error: any = thrown;
    for (let depth = 0; error && typeof error === 'object' && depth < MAX_DEPTH; depth++) {
      if (typeof error.code === 'string') code = error.code;
      if (typeof error.message === 'string' && error.message) message = error.message;
      // Node tries each address of a host and reports them in an AggregateError without a message.
      error = error.cause ?? error.errors?.[0];
    }
  } catch {
    // A cause whose getters throw says nothing more.
  }
  // Firefox ends its message with a period, which the connection error's own text follows.
  const text = message.replace(URL_TAIL, '$1').replace(/\.$/, '');
  const said = excerpt(code && !text.includes(code) ? `${code}${text && ': '}${text}` : text, secrets);
  return !code && said && isBrowser() ? said + IN_A_PAGE : said;
}
