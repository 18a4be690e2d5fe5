// The fetch handler that workerd and edge-runtime run: `GET /?api=<baseURL>` runs the scenario
// inside the runtime and answers with its result, or with the failure as a 500.
import * as sdk from 'openai-chat-fetch';
import { smoke } from './smoke.mjs';

export async function answer(request) {
  const baseURL = new URL(request.url).searchParams.get('api');
  try {
    return Response.json(await smoke(sdk, baseURL));
  } catch (error) {
    return Response.json({ error: String(error?.stack ?? error) }, { status: 500 });
  }
}
