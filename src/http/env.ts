/**
 * Reads an environment variable where the runtime has an environment, and never throws:
 * Deno without `--allow-env` throws on `Deno.env.get`, and browsers and workers have none.
 */
export function readEnv(name: string): string | undefined {
  const g = globalThis as { process?: { env?: Record<string, string | undefined> }; Deno?: { env?: { get?(key: string): string | undefined } } };
  try {
    return (g.process?.env?.[name] ?? g.Deno?.env?.get?.(name))?.trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * A browser: a page (the official SDK's test, `window.document` and `navigator`), or a browser's
 * dedicated, shared or service worker, whose global is a `WorkerGlobalScope` and whose
 * `navigator.userAgent` is a browser's (`Mozilla/5.0 …`). Deno's workers, Bun, Node, Cloudflare
 * Workers (`Cloudflare-Workers`) and edge runtimes name themselves there, or have no such scope.
 */
export function isBrowser(): boolean {
  const g = globalThis as { window?: { document?: unknown }; navigator?: { userAgent?: unknown }; WorkerGlobalScope?: unknown };
  if (typeof g.window?.document !== 'undefined' && typeof g.navigator !== 'undefined') return true;
  const scope = g.WorkerGlobalScope;
  return typeof scope === 'function' && globalThis instanceof scope && BROWSER_AGENT.test(String(g.navigator?.userAgent));
}

/** What every browser's user agent starts with, and no server runtime's. */
const BROWSER_AGENT = /^Mozilla\//;
