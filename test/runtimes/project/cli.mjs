// Node (ESM `import`), Deno and Bun: `<runtime> cli.mjs <baseURL> [apiKey]`. Prints one JSON
// line; a failed check rejects the top-level await, which every one of them turns into exit code 1.
import * as sdk from 'openai-chat-fetch';
import { smoke } from './smoke.mjs';

const [baseURL, apiKey] = globalThis.Deno ? globalThis.Deno.args : process.argv.slice(2);
const result = await smoke(sdk, baseURL, apiKey ? { apiKey } : {});
console.log(JSON.stringify({ entry: import.meta.resolve('openai-chat-fetch'), ...result }));
