// The browser page's script. It sends a key so the preflight must allow Authorization across
// origins, which the SDK refuses in a page unless told the key is meant to be there.
import * as sdk from 'openai-chat-fetch';
import { smoke } from './smoke.mjs';
import { streams } from './streams.mjs';

const api = new URL(location.href).searchParams.get('api');
const options = { apiKey: 'sk-smoke-browser', dangerouslyAllowBrowser: true };

async function scenario() {
  const result = await smoke(sdk, api, options);
  return { ...result, streams: await streams(sdk, api, options) };
}

window.smokeResult = scenario();
