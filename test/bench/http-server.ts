// The HTTP server of the benchmark's socket cases, run as a child process by test/bench/http.ts
// so that its work is not counted in the client's time, CPU or heap. Each case gets a port of
// its own (a fresh connection pool in the client), the case named by the path's first segment:
// `http://127.0.0.1:<port>/<case>/v1/chat/completions`. Messages over IPC: `{ listen: true }`
// answers `{ port }`; `{ connections: port }` answers how many TCP connections that port saw;
// `{ close: port }` stops that port and drops its connections (5,000 streams leave 5,000 behind).
import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FIRST_CHUNK, chunkEvent, headers, pieces, transcript } from './data.js';

const HEADERS = headers('text/event-stream; charset=utf-8');
const DONE = 'data: [DONE]\n\n';
/** A few chunks, as the API streams a short answer. */
const SHORT = [FIRST_CHUNK, chunkEvent({ content: '!' }), chunkEvent({ content: ' How' }), chunkEvent({}, 'stop')];
/** Twenty chunks, for the many-streams case. */
const TWENTY = [
  chunkEvent({ role: 'assistant', content: '' }),
  ...Array.from({ length: 18 }, (_, i) => chunkEvent({ content: ` word${i}` })),
  chunkEvent({}, 'stop'),
];
/** 20,000 chunks in 16 KB writes: a long answer as fast as the client reads it. */
const LONG = pieces(transcript(20_000), 16 * 1024);
/** How long a paced stream waits between its writes: the model's pace, and the end after [DONE]. */
const PACE_MS = 10;
const END_AFTER_DONE_MS = 5;

type Case = (res: ServerResponse) => void;

const cases: Record<string, Case> = {
  // The first chunk at once; the rest, and the end with it, on the next turn of the loop.
  first(res) {
    res.write(SHORT[0]);
    setImmediate(() => res.end(SHORT.slice(1).join('') + DONE));
  },
  // The first chunk, then nothing until the client leaves: an open stream.
  hold(res) {
    res.write(SHORT[0]);
  },
  // Twenty chunks in two writes a pace apart, then the end in its own write.
  many(res) {
    res.write(TWENTY.slice(0, 10).join(''));
    setTimeout(() => {
      res.write(TWENTY.slice(10).join('') + DONE);
      setTimeout(() => res.end(), END_AFTER_DONE_MS);
    }, PACE_MS);
  },
  // A paced answer whose body ends in a separate write after [DONE], as proxies and many servers send it.
  paced(res) {
    res.write(SHORT[0]);
    setTimeout(() => {
      res.write(SHORT.slice(1).join('') + DONE);
      setTimeout(() => res.end(), END_AFTER_DONE_MS);
    }, PACE_MS);
  },
  // Written as fast as the socket drains.
  long(res) {
    let next = 0;
    const write = (): void => {
      while (next < LONG.length) {
        if (!res.write(LONG[next++])) {
          res.once('drain', write);
          return;
        }
      }
      res.end();
    };
    write();
  },
};

const connections = new Map<number, number>();
const servers = new Map<number, Server>();

async function listen(): Promise<number> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const run = cases[req.url!.split('/')[1]];
      if (run) {
        res.writeHead(200, HEADERS);
        run(res);
      } else res.writeHead(404).end();
    });
  });
  // Idle sockets stay as long as the client keeps them: the client's pool decides.
  server.keepAliveTimeout = 60_000;
  // A long backlog: 5,000 clients connect at once.
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 8192 }, resolve));
  const port = (server.address() as AddressInfo).port;
  connections.set(port, 0);
  servers.set(port, server);
  server.on('connection', () => connections.set(port, connections.get(port)! + 1));
  return port;
}

/** Stops a port: the client's pool sees its idle connections close. */
async function close(port: number): Promise<void> {
  const server = servers.get(port)!;
  servers.delete(port);
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

process.on('message', async (message: { id: number; listen?: true; connections?: number; close?: number }) => {
  let answer: object = { connections: connections.get(message.connections!) };
  if (message.listen) answer = { port: await listen() };
  else if (message.close) await close(message.close);
  process.send!({ id: message.id, ...answer });
});
process.on('disconnect', () => process.exit(0));
process.send!({ ready: true });
