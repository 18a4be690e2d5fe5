import { errorResponse } from './errors.js';

/** The API's words for a request without a key. */
const NO_KEY =
  "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";
/** The API's words for a key it does not know; the key itself is not echoed. */
const WRONG_KEY = 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.';
const BEARER = /^Bearer\s+(.+)$/i;

/** The key a request carries: `Authorization: Bearer <key>`, or Azure's `api-key` header. */
function keyOf(headers: Record<string, string>): string | undefined {
  const bearer = BEARER.exec(headers.authorization ?? '')?.[1];
  return bearer ?? headers['api-key'];
}

/**
 * The API's 401 for a request without one of `apiKeys`: `invalid_api_key` for another key, the
 * API's own words for none. Without `apiKeys` every request passes.
 */
export function refusedKey(apiKeys: readonly string[] | undefined, headers: Record<string, string>): Response | undefined {
  if (!apiKeys) return undefined;
  const key = keyOf(headers);
  if (key !== undefined && apiKeys.includes(key)) return undefined;
  return key === undefined ? errorResponse(401, NO_KEY) : errorResponse(401, WRONG_KEY, { code: 'invalid_api_key' });
}

/** The API's 404 (`model_not_found`) for a model not among `models`. Without `models` every model exists. */
export function unknownModel(models: readonly string[] | undefined, model: string): Response | undefined {
  if (!models || models.includes(model)) return undefined;
  return errorResponse(404, `The model \`${model}\` does not exist or you do not have access to it.`, { code: 'model_not_found' });
}
