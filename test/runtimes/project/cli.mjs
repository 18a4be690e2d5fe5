// Node (ESM `import`), Deno and Bun: `<runtime> cli.mjs <baseURL>`. Prints one JSON line; a
// failed check rejects the top-level await, which every one of them turns into exit code 1.
import * as sdk from 'openai-chat-fetch';
import { smoke } from './smoke.mjs';

const baseURL = globalThis.Deno ? globalThis.Deno.args[0] : process.argv[2];
const result = await smoke(sdk, baseURL);
console.log(JSON.stringify({ entry: import.meta.resolve('openai-chat-fetch'), ...result }));
