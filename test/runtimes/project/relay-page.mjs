// The browser page's script for the relay: the SDK with the relay (on another origin) as its
// baseURL, no key, and the page's session in a header of the app's own.
import * as sdk from 'openai-chat-fetch';
import { relayScenario } from './relay-client.mjs';
import { SESSION_HEADER } from './relay.mjs';

const api = new URL(location.href).searchParams.get('api');

window.smokeResult = relayScenario(sdk, api, { [SESSION_HEADER]: 'session-ann' });
