// The Node HTTP adapter lives with the examples, since `npm start` serves the local API with it
// too; tests import it from here, as before.
export { serve } from '../../examples/node-server.js';
export type { Served } from '../../examples/node-server.js';
