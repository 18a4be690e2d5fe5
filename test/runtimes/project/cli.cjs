// Node, CommonJS `require`: loads the package's `require` build (dist/index.cjs); only the
// scenario, which is ESM, comes in through import().
const sdk = require('openai-chat-fetch');

import('./smoke.mjs')
  .then(({ smoke }) => smoke(sdk, process.argv[2], process.argv[3] ? { apiKey: process.argv[3] } : {}))
  .then(
    (result) => console.log(JSON.stringify({ entry: require.resolve('openai-chat-fetch'), ...result })),
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
