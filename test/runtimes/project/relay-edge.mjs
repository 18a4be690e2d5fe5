// Vercel's edge-runtime evaluates a script and dispatches fetch events; the fake API's base URL
// is the global `RELAY_UPSTREAM` the test defines in the runtime's context.
import * as relayModule from 'openai-chat-fetch/relay';
import { relayHandler } from './relay.mjs';

const handler = relayHandler(relayModule, globalThis.RELAY_UPSTREAM);

addEventListener('fetch', (event) => event.respondWith(handler(event.request)));
