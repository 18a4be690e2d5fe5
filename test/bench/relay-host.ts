// The relay's side of test/bench/relay.ts, as a child process of its own, so that its CPU and
// heap are all that is counted: for one upstream base URL, the relay, a bare byte pipe and the
// pipe with one stream layer (the least a relay that observes the stream adds), each served from
// Node's HTTP server through the relay's Node adapter (the same adapter, so the difference is the
// relay's own work). Messages over IPC: `{ serve: baseURL }` answers `{ relay, pipe, layer }`
// (their ports); `{ cpu: true }` answers `{ micros }`, the CPU this process
// used so far; `{ heap: true }` answers `{ bytes }`, the heap after a full collection;
// `{ close: [ports] }` stops those servers and drops their connections.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRelay, toNodeListener } from 'openai-chat-fetch/relay';
import { gc, oneLayer } from './measure.js';

const API_KEY = 'sk-bench-0123456789abcdef';
const servers = new Map<number, Server>();

/**
 * The least a proxy does: the page's body read and sent upstream with the key, the upstream's
 * body returned as it comes. No checks, no limits, nothing observed.
 */
function pipe(baseURL: string): (request: Request) => Promise<Response> {
  return async (request) => {
    const upstream = await fetch(`${baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: await request.text(),
      signal: request.signal,
    });
    return new Response(upstream.body, { status: upstream.status, headers: { 'content-type': upstream.headers.get('content-type') ?? 'text/event-stream' } });
  };
}

/**
 * The pipe with one stream layer between the upstream's body and the page: every read passed on
 * as it came, nothing examined. What any relay that observes a stream pays before it looks.
 */
function layered(baseURL: string): (request: Request) => Promise<Response> {
  const bare = pipe(baseURL);
  return async (request) => {
    const answer = await bare(request);
    return new Response(oneLayer(answer.body!), { status: answer.status, headers: answer.headers });
  };
}

async function listen(handler: (request: Request) => Promise<Response>): Promise<number> {
  const server = createServer(toNodeListener(handler));
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 8192 }, resolve));
  const port = (server.address() as AddressInfo).port;
  servers.set(port, server);
  return port;
}

async function close(port: number): Promise<void> {
  const server = servers.get(port);
  if (!server) return;
  servers.delete(port);
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** `baseline`: the path of another build of the relay, served beside this one. */
async function serve(baseURL: string, baseline?: string): Promise<{ relay: number; pipe: number; layer: number; baseline?: number }> {
  // Public, as an app's relay for anyone is: no `authorize` to time, everything else as deployed.
  const options = { public: true, models: ['gpt-4o-mini'], apiKey: API_KEY, baseURL } as const;
  const ports = { relay: await listen(createRelay(options)), pipe: await listen(pipe(baseURL)), layer: await listen(layered(baseURL)) };
  if (!baseline) return ports;
  const other: typeof createRelay = (await import(pathToFileURL(resolve(baseline)).href)).createRelay;
  return { ...ports, baseline: await listen(other(options)) };
}

process.on('message', async (message: { id: number; serve?: string; baseline?: string; cpu?: true; heap?: true; close?: number[] }) => {
  let answer: object = {};
  if (message.serve) answer = await serve(message.serve, message.baseline);
  else if (message.cpu) {
    const { user, system } = process.cpuUsage();
    answer = { micros: user + system };
  } else if (message.heap) {
    gc?.();
    answer = { bytes: process.memoryUsage().heapUsed };
  } else if (message.close) await Promise.all(message.close.map(close));
  process.send!({ id: message.id, ...answer });
});
process.on('disconnect', () => process.exit(0));
process.send!({ ready: true });
