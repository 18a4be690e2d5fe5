// The Node HTTP adapter lives beside the `openai-chat-fetch-fake` command, which serves the fake
// with it; tests import it from here, as before.
export { serve } from '../../bin/node-server.js';
export type { Served } from '../../bin/node-server.js';
