// The part of `cloudflare:workers` that examples/relay-rate-limit-durable-object.ts uses, as
// @cloudflare/workers-types declares it; a Worker project has the real declarations (`wrangler
// types`), and this repository does not install them for one recipe.
declare module 'cloudflare:workers' {
  /** A Durable Object's own storage (key-value API, on the SQLite or the key-value backend). */
  interface DurableObjectStorage {
    get<T = unknown>(key: string): Promise<T | undefined>;
    put<T>(key: string, value: T): Promise<void>;
  }

  /** What a Durable Object is given: its storage and its input gate. */
  interface DurableObjectState {
    readonly storage: DurableObjectStorage;
    blockConcurrencyWhile<T>(callback: () => Promise<T>): Promise<T>;
  }

  /** Base class of a Durable Object whose public methods are called over RPC. */
  abstract class DurableObject<Env = unknown> {
    protected ctx: DurableObjectState;
    protected env: Env;
    constructor(ctx: DurableObjectState, env: Env);
  }
}
