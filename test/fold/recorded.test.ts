import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ChatCompletion } from '../../src/types/index.js';
import { RECORDED, foldBytes, randomPieces, recorded, seeded } from '../helpers/fold-streams.js';

// Streams recorded from live APIs by other projects (origins in fixtures/streams/recorded/README.md),
// folded whole and in random 1–64-byte pieces through parseServerSentEvents. Each expectation is
// what that provider's non-streamed answer holds: the content, the reasoning, tool calls with
// their id and name, and no label doubled.
const names = readdirSync(RECORDED).filter((name) => name.endsWith('.txt'));

type Message = Record<string, any>;
const message = (completion: ChatCompletion): Message => completion.choices[0].message as Message;
const call = (id: string, name: string, args: string) => ({ id, type: 'function', function: { name, arguments: args } });

const expectations: Record<string, (completion: ChatCompletion) => void> = {
  'openai-text.txt'(c) {
    expect(c).toMatchObject({ id: 'chatcmpl-D8Z5oo6uDh67AD85p73ksdT1KxhE0', object: 'chat.completion', service_tier: 'default', usage: { total_tokens: 316 } });
    expect(message(c)).toStrictEqual({
      role: 'assistant',
      content: expect.stringMatching(/^\*\*Holiday Name:\*\* Harmony Day[\s\S]*mutual respect\.$/),
      refusal: null,
    });
    expect(c).not.toHaveProperty('obfuscation');
  },
  'azure-model-router.txt'(c) {
    // The first chunk's blank id, model and created never win over the real ones.
    expect(c).toMatchObject({ id: 'chatcmpl-CYPS1lijGoK8gd9lYzY3r9Sx50nbt', model: 'gpt-5-nano-2025-08-07', created: 1762317021 });
    expect(message(c)).toStrictEqual({ role: 'assistant', content: 'Capital of Denmark.', refusal: null });
    expect(c.choices[0]).toMatchObject({ finish_reason: 'stop', content_filter_results: { hate: { filtered: false, severity: 'safe' } } });
    expect((c as any).prompt_filter_results[0].content_filter_results.jailbreak).toEqual({ filtered: false, detected: false });
  },
  'deepseek-reasoning.txt'(c) {
    expect(message(c).content).toBe('The word "strawberry" contains three "r"s.');
    expect(message(c).reasoning_content).toMatch(/^We need to count the number of the lette[\s\S]*Thus, the answer is 3\.$/);
    expect(message(c).reasoning_content).toHaveLength(606);
  },
  'deepseek-tool-call.txt'(c) {
    expect(message(c).tool_calls).toStrictEqual([call('call_00_ioIn7yN9p1ZOMNpDLwd4MgAF', 'weather', '{"location": "San Francisco"}')]);
    expect(message(c).reasoning_content).toMatch(/^The user is asking for the weather in Sa/);
    expect(c.choices[0].finish_reason).toBe('tool_calls');
  },
  'groq-tool-call.txt'(c) {
    expect(message(c).tool_calls).toStrictEqual([call('tk85n1k4m', 'weather', '{}')]);
    expect((c as any).x_groq).toMatchObject({ id: 'req_01kh52nj5yfcat8hrmvrk2j2hj', usage: { total_tokens: 225 } });
  },
  'groq-compound-executed-tools.txt'(c) {
    const tools = message(c).executed_tools;
    // Index 0 arrives twice (no output, then with it): one search, its arguments not doubled.
    expect(tools).toHaveLength(1);
    expect(tools[0]).toMatchObject({ index: 0, type: 'search', arguments: '{"query": "What is the weather in San Francisco today?"}' });
    expect(tools[0].output).toMatch(/^Title: Weather in San Francisco\n/);
    expect(tools[0].search_results.results[0]).toMatchObject({ title: 'Weather in San Francisco', url: 'https://www.weatherapi.com/' });
    expect(message(c).reasoning).toMatch(/^<think>\nTo find the current weather in S/);
    expect(message(c).content).toMatch(/^The weather in San Francisco today is pa/);
  },
  'mistral-reasoning.txt'(c) {
    // What the non-streamed answer of magistral-medium holds (mistral-reasoning.json beside the recording).
    expect(message(c).content).toStrictEqual([
      { type: 'thinking', thinking: [{ type: 'text', text: 'The user is asking for 2+2. This is basic arithmetic. 2+2=4.' }] },
      { type: 'text', text: '2 + 2 = 4' },
    ]);
  },
  'mistral-magistral-thinking.txt'(c) {
    const content = message(c).content;
    expect(content.map((part: Message) => part.type)).toEqual(['thinking', 'text']);
    expect(content[0].thinking).toHaveLength(1);
    expect(content[0].thinking[0].text).toMatch(/^Okay, the user is asking how to cross th[\s\S]* a clear and concise response\.$/);
    expect(content[1].text).toMatch(/^To cross the street safely, follow these[\s\S]*ou can ensure a safe crossing\.$/);
  },
  'mistral-thinking-then-text.txt'(c) {
    // Thinking parts, then a text part in the same chunk, then plain strings: one text part "391".
    const content = message(c).content;
    expect(content).toHaveLength(2);
    expect(content[0]).toMatchObject({ type: 'thinking', closed: true });
    expect(content[0].thinking).toStrictEqual([
      { type: 'text', text: expect.stringMatching(/^Okay, the user is asking for the product[\s\S]*So, 17 \* 23 = 391\.$/) },
    ]);
    expect(content[1]).toStrictEqual({ type: 'text', text: '391' });
  },
  'mistral-tool-call.txt'(c) {
    // Mistral sends the whole call at once, with no `index` and no `type`: a call without a type is a function call.
    expect(message(c).tool_calls).toStrictEqual([call('gSIMJiOkT', 'weather', '{"location": "San Francisco"}')]);
  },
  'mistral-incremental-tool-call.txt'(c) {
    // The second delta repeats the call with "name": "": the name survives.
    expect(message(c).tool_calls).toStrictEqual([call('chatcmpl-tool-9f149c74c42f265b', 'webSearchTool', '{"query": "current Berlin weather"}')]);
  },
  'qwen-tool-call.txt'(c) {
    // Every later delta repeats the call with "id": "": the id survives, for tool_call_id.
    expect(message(c).tool_calls).toStrictEqual([call('call_eee11723464a4b9eb8cee71d', 'weather', '{"location": "San Francisco"}')]);
  },
  'qwen-reasoning.txt'(c) {
    expect(message(c).reasoning_content).toMatch(/^We are asked: "How many 'r's are in the [\s\S]*So final answer: 3\.$/);
    expect(message(c).content).toMatch(/\*\*Answer: 3\*\*$/);
  },
  'xai-reasoning-text.txt'(c) {
    expect(message(c)).toMatchObject({
      role: 'assistant',
      content: 'Grok',
      reasoning_content: expect.stringMatching(/^First, the user said: "Say a single word/),
    });
    expect(c.usage).toMatchObject({ completion_tokens_details: { reasoning_tokens: 340 } });
  },
  'xai-tool-call.txt'(c) {
    expect(message(c).tool_calls).toStrictEqual([
      { id: 'call_79382389', function: { name: 'weather', arguments: '{"location":"San Francisco"}' }, type: 'function' },
    ]);
  },
  'perplexity-citations.txt'(c) {
    // `role` is repeated in every delta, `citations` and a growing `usage` in every chunk.
    expect(message(c)).toMatchObject({ role: 'assistant', content: 'The current population of **[2][3]' });
    expect((c as any).citations).toHaveLength(7);
    expect(c.usage).toEqual({ prompt_tokens: 10, completion_tokens: 336, total_tokens: 346 });
  },
  'openrouter-claude-reasoning-details.txt'(c) {
    const text = 'This is a simple arithmetic question. 2+2 equals 4.';
    expect(message(c)).toMatchObject({ role: 'assistant', content: '2 + 2 = 4', reasoning: text });
    // One detail: text joined, its type and format labels once, the signature that came last.
    expect(message(c).reasoning_details).toStrictEqual([
      { type: 'reasoning.text', text, signature: expect.stringMatching(/^Et0BCkgI.*==$/), format: 'anthropic-claude-v1', index: 0 },
    ]);
    expect(c.choices[0]).toMatchObject({ finish_reason: 'stop', native_finish_reason: 'stop' });
  },
  'openrouter-o3-encrypted-reasoning.txt'(c) {
    expect(message(c).reasoning_details).toStrictEqual([
      {
        type: 'reasoning.encrypted',
        data: expect.stringMatching(/^gAAAAABp/),
        id: 'rs_0aa4f2c435e6d1dc0169082486816c8193a029b5fc4ef1764f',
        format: 'openai-responses-v1',
        index: 0,
      },
    ]);
    expect(message(c).content).toMatch(/^I’m ChatGPT, a large-language-model assi/);
  },
};

describe('streams recorded from live APIs', () => {
  it('has an expectation for every recording', () => {
    expect(names.sort()).toEqual(Object.keys(expectations).sort());
  });

  for (const [name, expectation] of Object.entries(expectations)) {
    it(`folds ${name} into the non-streamed answer, whole and in random 1–64-byte pieces`, async () => {
      const bytes = recorded(name);
      const whole = await foldBytes([bytes]);
      expectation(whole);
      // Nothing a fold of strings-only content returns is a list, and no string is a doubled label.
      if (typeof message(whole).content === 'string' || message(whole).content === null) expect(message(whole).role).toBe('assistant');
      for (const seed of [1, 2, 3]) expect(await foldBytes(randomPieces(bytes, seeded(seed)))).toStrictEqual(whole);
    });
  }
});
