// The fetch handler that workerd and edge-runtime run: `GET /?api=<baseURL>&key=<apiKey>` runs
// the scenario inside the runtime and answers with its result, or with the failure as a 500.
import * as sdk from 'openai-chat-fetch';
import { smoke } from './smoke.mjs';

export async function answer(request) {
  const { searchParams } = new URL(request.url);
  const apiKey = searchParams.get('key');
  try {
    return Response.json(await smoke(sdk, searchParams.get('api'), apiKey ? { apiKey } : {}));
  } catch (error) {
    return Response.json({ error: String(error?.stack ?? error) }, { status: 500 });
  }
}
