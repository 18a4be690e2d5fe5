// Serves a README block that is a web handler over HTTP on 127.0.0.1, as its host would call it,
// and prints `listening <url>`: `export default { fetch }` (Cloudflare Workers; the environment
// is its `env`), route handlers (`export async function POST`, Next.js), the handler given to
// `Deno.serve(…)` or `Bun.serve(…)`, shimmed here in Node to take it, or a Node server the block
// starts itself (`createServer(…).listen(8787)`), moved to a free port of 127.0.0.1. Run with the
// preload, so the block's own calls reach the fake.
import { Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { serve } from '../../../bin/node-server.js';

type Handler = (request: Request) => Promise<Response>;
type Exported = Record<string, unknown> & { default?: { fetch?: (request: Request, env: object, context: object) => Promise<Response> } };

const ROUTE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const ADDRESS = { transport: 'tcp', hostname: '127.0.0.1', port: 0 };
let given: Handler | undefined;

/** `Deno.serve(handler)`, `Deno.serve(options, handler)` or `Deno.serve({ handler })`. */
function denoServe(...args: unknown[]): object {
  const handler = args.find((arg) => typeof arg === 'function') ?? (args[0] as { handler?: unknown } | undefined)?.handler;
  if (typeof handler !== 'function') throw new Error('Deno.serve was called without a handler');
  given = (request) => handler(request, { remoteAddr: ADDRESS });
  return { addr: ADDRESS, finished: new Promise(() => {}), shutdown: async () => {}, ref() {}, unref() {} };
}

/** `Bun.serve({ fetch })`. */
function bunServe(options: { fetch?: (request: Request, server: object) => Promise<Response> }): object {
  if (typeof options?.fetch !== 'function') throw new Error('Bun.serve was called without fetch');
  const server = { port: ADDRESS.port, hostname: ADDRESS.hostname, url: new URL('http://127.0.0.1/'), stop() {} };
  given = (request) => options.fetch!(request, server);
  return server;
}

/** What the block exports for its host to call, if it exports a handler. */
function exported(block: Exported): Handler | undefined {
  const worker = block.default?.fetch;
  // Workers give the handler its bindings and a context for work that outlives the response.
  const context = {
    waitUntil: (work: Promise<unknown>) => void work.catch((error) => console.error('waitUntil work failed:', error)),
    passThroughOnException() {},
  };
  if (typeof worker === 'function') return (request) => worker.call(block.default, request, { ...process.env }, context);
  if (!ROUTE_METHODS.some((method) => typeof block[method] === 'function')) return undefined;
  return async (request) => {
    const route = block[request.method];
    return typeof route === 'function' ? route(request) : new Response(null, { status: 405 });
  };
}

const globals = globalThis as Record<string, unknown>;
globals.Deno ??= { serve: denoServe, env: { get: (name: string) => process.env[name] } };
globals.Bun ??= { serve: bunServe, env: process.env };

/** Imports the block; a server it starts listens on a free port of 127.0.0.1 and says so. */
async function load(file: string): Promise<{ block: Exported; listened: boolean }> {
  const original = Server.prototype.listen;
  const listen = original as (this: Server, port: number, host: string, then: () => void) => Server;
  let listened = false;
  Server.prototype.listen = function (this: Server, ...args: unknown[]) {
    listened = true;
    const then = args.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    return listen.call(this, 0, '127.0.0.1', () => {
      console.log(`listening http://127.0.0.1:${(this.address() as AddressInfo).port}`);
      then?.();
    });
  } as typeof original;
  try {
    const block = (await import(pathToFileURL(file).href)) as Exported;
    return { block, listened };
  } finally {
    Server.prototype.listen = original;
  }
}

const file = process.argv[2]!;
const { block, listened } = await load(file);
const handler = given ?? exported(block);
if (!listened && !handler) throw new Error(`${file} neither exports a handler, calls Deno.serve or Bun.serve, nor starts a server`);
if (!listened) {
  const { url } = await serve(async (request) => {
    try {
      return await handler!(request);
    } catch (error) {
      console.error('the handler threw:', error);
      throw error;
    }
  });
  console.log(`listening ${url}`);
}
