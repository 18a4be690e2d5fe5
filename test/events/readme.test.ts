// @vitest-environment happy-dom
// The README's streaming structured-output example, as written there, in a DOM (happy-dom): a
// sign-up form fills itself in as the answer arrives. The fake answers in memory, in 8-character
// pieces; the options (and so the fetch) come from the test.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createChatCompletion } from '../../src/chat.js';
import { toChatCompletionEvents } from '../../src/events/to-events.js';
import { createFakeOpenAI } from '../../src/fake/index.js';
import { jsonSchemaFormat } from '../../src/structured/index.js';
import type { RequestOptions } from '../../src/types/index.js';

async function formExample(note: string, save: (signup: object) => Promise<void>, options?: RequestOptions) {
  const Signup = z.object({ name: z.string(), email: z.string(), city: z.string(), interests: z.array(z.string()) });
  const signup = jsonSchemaFormat(Signup, { name: 'signup' });

  const stream = await createChatCompletion(
    {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: `Fill in the sign-up form from this note: ${note}` }],
      response_format: signup,
      stream: true,
    },
    options,
  );

  const form = document.querySelector<HTMLFormElement>('#signup')!;
  const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement;
  for await (const event of toChatCompletionEvents(stream, { response_format: signup })) {
    if (event.type === 'content.delta' && event.parsed) {
      const { name = '', email = '', city = '', interests = [] } = event.parsed; // each field as far as it has arrived
      field('name').value = name;
      field('email').value = email;
      field('city').value = city;
      field('interests').value = interests.join(', ');
    }
    if (event.type === 'content.done') await save(event.parsed); // validated: { name: string; email: string; ... }
    if (event.type === 'refusal.done') form.dataset.refusal = event.refusal;
  }
}

describe('the README example: a form fills itself in', () => {
  const answer = { name: 'Ada Lovelace', email: 'ada@example.com', city: 'London', interests: ['maths', 'poetry'] };

  it('shows each field as it arrives, then saves the validated answer', async () => {
    document.body.innerHTML = '<form id="signup"><input name="name"><input name="email"><input name="city"><input name="interests"></form>';
    const inputs = [...document.querySelectorAll('input')];
    const shown: string[][] = [];
    const fake = createFakeOpenAI({ replies: [JSON.stringify(answer)] });
    const saved: object[] = [];
    const origin = HTMLInputElement.prototype;
    const descriptor = Object.getOwnPropertyDescriptor(origin, 'value')!;
    // Record what the form shows after every change the example makes.
    Object.defineProperty(origin, 'value', {
      configurable: true,
      get: descriptor.get,
      set(value: string) {
        descriptor.set!.call(this, value);
        shown.push(inputs.map((input) => descriptor.get!.call(input) as string));
      },
    });
    try {
      await formExample('Ada, ada@example.com, London; likes maths and poetry', async (signup) => void saved.push(signup), { fetch: fake, apiKey: 'sk-test' });
    } finally {
      Object.defineProperty(origin, 'value', descriptor);
    }
    expect(saved).toEqual([answer]);
    expect(inputs.map((input) => input.value)).toEqual(['Ada Lovelace', 'ada@example.com', 'London', 'maths, poetry']);
    // Filling in: the name grew piece by piece before the other fields had anything.
    expect(shown).toContainEqual(['Ada Lov', '', '', '']);
    expect(shown).toContainEqual(['Ada Lovelace', 'ada@exam', '', '']);
    expect(shown).toContainEqual(['Ada Lovelace', 'ada@example.com', 'London', 'maths, p']);
  });

  it('shows a refusal instead', async () => {
    document.body.innerHTML = '<form id="signup"><input name="name"><input name="email"><input name="city"><input name="interests"></form>';
    const fake = createFakeOpenAI({ replies: [{ refusal: "I can't fill in forms for other people." }] });
    await formExample('someone else', async () => expect.unreachable('nothing to save'), { fetch: fake, apiKey: 'sk-test' });
    expect(document.querySelector<HTMLFormElement>('#signup')!.dataset.refusal).toBe("I can't fill in forms for other people.");
  });
});
