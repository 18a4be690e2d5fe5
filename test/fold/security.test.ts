import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OpenAIError } from '../../src/errors.js';
import { deltaChunk, foldBytes, foldChunks } from '../helpers/fold-streams.js';

// Nothing a server streams reaches a prototype, and no index or depth makes the fold slow or crash.
const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype'];
const HOSTILE_INDICES: unknown[] = [2147483647, 1e308, -1, 1.5, '0', Number.NaN, 'x', 0, 1];
const prototypeKeys = () => Reflect.ownKeys(Object.prototype);

/** Objects parsed from JSON text, as chunks arrive: `__proto__` there is an own property. */
const parsed = (value: unknown) => JSON.parse(JSON.stringify(value).replaceAll('"x__proto__"', '"__proto__"'));

describe('prototype pollution', () => {
  it("keeps the issue's chunk away from Object.prototype, and its keys as own data, equal to the non-streamed answer", async () => {
    const text =
      '{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","__proto__":{"baseURL":"http://attacker/v1"},"choices":[{"index":0,"delta":{"content":"Hello","__proto__":{"baseURL":"http://attacker/v1"}},"finish_reason":"stop"}]}';
    const before = prototypeKeys();
    const completion = await foldChunks([JSON.parse(text)]);
    expect(prototypeKeys()).toEqual(before);
    expect(({} as Record<string, unknown>).baseURL).toBeUndefined();
    const message = completion.choices[0].message as unknown as Record<string, unknown>;
    expect(Object.getPrototypeOf(message)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(message, '__proto__')?.value).toEqual({ baseURL: 'http://attacker/v1' });
    expect(Object.hasOwn(completion, '__proto__')).toBe(true);
    const nonStreamed =
      '{"id":"c","object":"chat.completion","created":1,"model":"m","__proto__":{"baseURL":"http://attacker/v1"},"choices":[{"index":0,"message":{"role":"assistant","content":"Hello","refusal":null,"__proto__":{"baseURL":"http://attacker/v1"}},"logprobs":null,"finish_reason":"stop"}]}';
    expect(JSON.parse(JSON.stringify(completion))).toEqual(JSON.parse(nonStreamed));
  });

  it('never writes to Object.prototype, whatever tree of hostile keys and indices the chunks hold', async () => {
    const key = fc.oneof(
      fc.constantFrom(...HOSTILE_KEYS, 'x__proto__', 'content', 'index', 'tool_calls', 'delta', 'logprobs', 'choices'),
      fc.string({ maxLength: 4 }),
    );
    const leaf = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.integer(),
      fc.constant(null),
      fc.boolean(),
      fc.constantFrom(...HOSTILE_INDICES.filter((i) => typeof i !== 'number' || Number.isFinite(i))),
    );
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('tree'), { maxLength: 3 }), fc.dictionary(key, tie('tree'), { maxKeys: 4 })),
    }));
    const choice = fc.record(
      { index: fc.constantFrom(...HOSTILE_INDICES), delta: fc.dictionary(key, tree, { maxKeys: 4 }), logprobs: tree, x__proto__: tree },
      { requiredKeys: ['index'] },
    );
    const chunk = fc.record({ id: fc.string(), x__proto__: tree, constructor: tree, prototype: tree, choices: fc.array(choice, { maxLength: 3 }) });
    const before = prototypeKeys();
    await fc.assert(
      fc.asyncProperty(fc.array(chunk, { minLength: 1, maxLength: 5 }), async (chunks) => {
        try {
          await foldChunks(chunks.map(parsed));
        } catch (error) {
          // Nonsense may be refused, but only ever with a clear OpenAIError.
          expect(error).toBeInstanceOf(OpenAIError);
        }
        expect(prototypeKeys()).toEqual(before);
        expect(({} as Record<string, unknown>).baseURL).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('reads only own properties, so an already polluted Object.prototype adds nothing to the answer', async () => {
    const polluted = Object.prototype as Record<string, unknown>;
    polluted.reasoning_content = 'POLLUTED';
    try {
      const completion = await foldChunks([deltaChunk({ reasoning_content: 'Hi' }, 'stop')]);
      expect(Object.getOwnPropertyDescriptor(completion.choices[0].message, 'reasoning_content')?.value).toBe('Hi');
    } finally {
      delete polluted.reasoning_content;
    }
  });
});

describe('hostile indices', () => {
  it('keeps every choice and tool call at any index as given, ordered numbers first, without a sparse array', async () => {
    const chunks = HOSTILE_INDICES.map((index) => ({
      ...deltaChunk({ tool_calls: [{ index, id: `call_${String(index)}`, function: { name: 'f', arguments: '{}' } }] }, 'stop'),
      choices: [
        {
          index,
          delta: { content: String(index), tool_calls: [{ index, id: `call_${String(index)}`, function: { name: 'f', arguments: '{}' } }] },
          finish_reason: 'stop',
        },
      ],
    }));
    const completion = await foldChunks(chunks);
    // One element per distinct index: nothing filled up to 2147483647 or 1e308.
    expect(completion.choices).toHaveLength(HOSTILE_INDICES.length);
    expect(completion.choices.map((c) => c.index)).toEqual([-1, 0, 1, 1.5, 2147483647, 1e308, '0', Number.NaN, 'x']);
    for (const choice of completion.choices) {
      expect(choice.message.content).toBe(String(choice.index));
      expect(choice.message.tool_calls).toEqual([{ id: `call_${String(choice.index)}`, type: 'function', function: { name: 'f', arguments: '{}' } }]);
    }
  });

  it('gives a tool call at index 2147483647 alone as a list of one', async () => {
    const completion = await foldChunks([
      deltaChunk({ tool_calls: [{ index: 2147483647, id: 'c', type: 'function', function: { name: 'f', arguments: '' } }] }, 'tool_calls'),
    ]);
    expect(completion.choices[0].message.tool_calls).toEqual([{ id: 'c', type: 'function', function: { name: 'f', arguments: '' } }]);
  });
});

describe('deep nesting', () => {
  /** `{"a":{"a":…}}` nested `depth` levels, built without recursion. */
  function nested(depth: number): Record<string, unknown> {
    let value: Record<string, unknown> = {};
    for (let i = 0; i < depth; i++) value = { a: value };
    return value;
  }

  it('rejects a chunk nested 100,000 levels deep with an OpenAIError, not a RangeError', async () => {
    for (const chunk of [deltaChunk({ x: nested(100_000) }), { ...deltaChunk({}), x: nested(100_000) }, deltaChunk({ content: [nested(100_000)] })]) {
      const error = await foldChunks([chunk]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAIError);
      expect(String(error)).toMatch(/nests deeper than 100 levels/);
    }
  });

  it('rejects the same from bytes, nested lists included', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const text = `data: {"choices":[{"index":0,"delta":{"x":${deep}},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n`;
    const error = await foldBytes([new TextEncoder().encode(text)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAIError);
    expect(error).not.toBeInstanceOf(RangeError);
  });

  it('folds the deepest real shape, a thinking part inside content, well under the limit', async () => {
    const completion = await foldChunks([deltaChunk({ content: [{ type: 'thinking', thinking: [{ type: 'text', text: 'ok' }] }] }, 'stop')]);
    expect(completion.choices[0].message.content).toEqual([{ type: 'thinking', thinking: [{ type: 'text', text: 'ok' }] }]);
  });
});
