// One contender in a loop, for a CPU profile of just it:
//   node --cpu-prof --cpu-prof-dir=prof --import tsx test/bench/profile.ts [ours|floor|esp|official|json] [rounds]
// `json` is the non-streaming create; `LIVE=1` streams one event a piece. Open the biggest
// .cpuprofile in Chrome DevTools, or summarise it: `tsx test/bench/top.ts prof/<file>`.
import { createChatCompletion } from 'openai-chat-fetch';
import { API_KEY, BASE_URL, ESP, FLOOR, OFFICIAL, OURS, drain } from './contenders.js';
import { completion, headers, recordedStreamFetch } from './data.js';

const which = process.argv[2] ?? 'ours';
const rounds = Number(process.argv[3] ?? 30);

if (which === 'json') {
  const json = completion(2_000);
  const fetch = async () => new Response(json, { headers: headers('application/json') });
  const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Hi' }] };
  for (let i = 0; i < rounds * 1000; i++) await createChatCompletion(body, { apiKey: API_KEY, baseURL: BASE_URL, fetch });
} else {
  const contender = { ours: OURS, floor: FLOOR, esp: ESP, official: OFFICIAL }[which]!;
  const fetch = recordedStreamFetch(20_000, Boolean(process.env.LIVE));
  const started = performance.now();
  for (let i = 0; i < rounds; i++) await drain(await contender.open(fetch));
  console.log(`${contender.name}: ${((performance.now() - started) / rounds).toFixed(1)} ms a round`);
}
