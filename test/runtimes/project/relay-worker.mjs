// Cloudflare Workers: the relay as a module Worker, made once per isolate from its bindings
// (`UPSTREAM`, the fake API's base URL).
import * as relayModule from 'openai-chat-fetch/relay';
import { relayHandler } from './relay.mjs';

let handler;

export default {
  fetch(request, env) {
    handler ??= relayHandler(relayModule, env.UPSTREAM);
    return handler(request);
  },
};
