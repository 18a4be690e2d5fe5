// The README's terminal example of the streaming tool loop, and its tee() example, as written
// there, against the fake over HTTP; the options (and so the server) and the output come from
// the test.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { accumulateChatCompletion, createChatCompletion, functionTool, runTools } from '../../src/index.js';
import type { ChatCompletion, RequestOptions } from '../../src/index.js';
import { useScriptedFake } from '../helpers/scripted-fake.js';

const script = [{ tool_calls: [{ name: 'weather', arguments: { city: 'Paris' } }] }, 'Yes: rain, 12 °C. Take one.'];
let turn = 0;
const { fake, overHTTP } = useScriptedFake(() => script[turn++]);

async function terminalExample(stdout: { write(text: string): void }, options: RequestOptions) {
  const weather = functionTool({
    name: 'weather',
    description: 'The current weather in a city',
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }) => ({ city, sky: 'rain', celsius: 12 }),
  });

  const events = runTools(
    {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Do I need an umbrella in Paris today?' }],
      tools: [weather],
      stream: true,
    },
    options,
  );
  for await (const event of events) {
    if (event.type === 'content.delta') stdout.write(event.delta);
    if (event.type === 'tool_calls.function.arguments.done') stdout.write(`\n→ ${event.name}(${event.arguments})\n`);
    if (event.type === 'tool.result') stdout.write(`← ${event.error ?? event.content}\n`);
    if (event.type === 'done') stdout.write(`\n(${event.steps.length} steps, ${event.stopReason})\n`);
  }
}

async function teeExample(log: (text: string) => void, options: RequestOptions): Promise<string> {
  const save = async (completion: ChatCompletion) => log(`saved ${completion.id}`);
  const stream = await createChatCompletion({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Tell me a story.' }], stream: true }, options);
  const [forScreen, forLog] = stream.tee();
  const saved = accumulateChatCompletion(forLog).then(save, (error) => error.partial && save(error.partial));
  let shown = '';
  for await (const chunk of forScreen) shown += chunk.choices[0]?.delta.content ?? '';
  await saved;
  return shown;
}

describe('the README examples of the streaming tool loop and tee()', () => {
  it('prints the tool call, its result, the answer as it streams, and how the loop ended', async () => {
    turn = 0;
    let printed = '';
    await terminalExample({ write: (text) => (printed += text) }, overHTTP());
    expect(printed).toBe(
      '\n→ weather({"city":"Paris"})\n← {"city":"Paris","sky":"rain","celsius":12}\nYes: rain, 12 °C. Take one.\n(2 steps, no_tool_calls)\n',
    );
    expect(fake.requests).toHaveLength(2);
  });

  it('shows one branch and saves the other', async () => {
    turn = script.length;
    const logged: string[] = [];
    const shown = await teeExample((text) => logged.push(text), overHTTP());
    expect(shown).toBe('Echo: Tell me a story.');
    expect(logged).toEqual([expect.stringMatching(/^saved chatcmpl-/)]);
  });
});
