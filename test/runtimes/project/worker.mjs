// Cloudflare Workers' module syntax, as a user's worker is written.
import { answer } from './answer.mjs';

export default { fetch: answer };
