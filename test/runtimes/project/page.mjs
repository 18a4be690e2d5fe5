// The browser page's script. It sends a key so the preflight must allow Authorization across
// origins, which the SDK refuses in a page unless told the key is meant to be there.
import * as sdk from 'openai-chat-fetch';
import { smoke } from './smoke.mjs';

const api = new URL(location.href).searchParams.get('api');
window.smokeResult = smoke(sdk, api, { apiKey: 'sk-smoke-browser', dangerouslyAllowBrowser: true });
