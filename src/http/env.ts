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

/** Same test as the official SDK: a page has `window.document` and `navigator`. */
export function isBrowser(): boolean {
  const g = globalThis as { window?: { document?: unknown }; navigator?: unknown };
  return typeof g.window?.document !== 'undefined' && typeof g.navigator !== 'undefined';
}
