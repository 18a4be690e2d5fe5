// Node (through the relay's Node adapter), Deno (`Deno.serve`) and Bun (`Bun.serve`):
// `<runtime> relay-server.mjs <upstream baseURL> [page origin]` serves the relay on a free port of
// 127.0.0.1, prints one JSON line with its URL, and serves until it is ended.
import * as relayModule from 'openai-chat-fetch/relay';
import { relayHandler } from './relay.mjs';

const args = globalThis.Deno ? globalThis.Deno.args : process.argv.slice(2);
const [upstream, origin] = args;
const handler = relayHandler(relayModule, upstream, origin ? [origin] : []);
const entry = import.meta.resolve('openai-chat-fetch/relay');
const ready = (runtime, port) => console.log(JSON.stringify({ runtime, entry, url: `http://127.0.0.1:${port}` }));

if (globalThis.Deno) {
  globalThis.Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => ready('Deno', port) }, handler);
} else if (globalThis.Bun) {
  const server = globalThis.Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: handler });
  ready('Bun', server.port);
} else {
  const { createServer } = await import('node:http');
  const server = createServer(relayModule.toNodeListener(handler));
  server.listen(0, '127.0.0.1', () => ready('Node', server.address().port));
}
