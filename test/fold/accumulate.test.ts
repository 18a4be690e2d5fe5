import { describe, expect, it } from 'vitest';
import { accumulateChatCompletion } from '../../src/fold/accumulate.js';
import { APIError, OpenAIError } from '../../src/errors.js';
import { parseServerSentEvents } from '../../src/stream/chunk-stream.js';
import type { ChatCompletion, ChatCompletionChunk } from '../../src/types/index.js';
import { bodyOf, fixture, fixtureNames, piecesOf } from '../helpers/streams.js';

// ---------------------------------------------------------------------------------------------
// Helpers: fixtures as chunk streams, and chunks built in memory.

/** A body handing out `bytes` in pieces of `size` bytes, one a pull. */
const body = (bytes: Uint8Array, size = bytes.length) => bodyOf(piecesOf(bytes, size));

const accumulateFixture = (name: string, size?: number) => accumulateChatCompletion(parseServerSentEvents(body(fixture(name), size)));

/** A stream of the given chunks; with `error`, it fails after them instead of closing. */
function streamOf(chunks: unknown[], error?: unknown): ReadableStream<ChatCompletionChunk> & { cancelled: unknown[] } {
  let next = 0;
  const cancelled: unknown[] = [];
  const stream = new ReadableStream<ChatCompletionChunk>({
    pull(controller) {
      if (next < chunks.length) controller.enqueue(chunks[next++] as ChatCompletionChunk);
      else if (error !== undefined) controller.error(error);
      else controller.close();
    },
    cancel(reason) {
      cancelled.push(reason);
    },
  });
  return Object.assign(stream, { cancelled });
}

/** A chunk of the completion `chatcmpl-mem` with the given choices and top-level extras. */
const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({
  id: 'chatcmpl-mem',
  object: 'chat.completion.chunk',
  created: 1727000001,
  model: 'gpt-4o-mini',
  choices,
  ...extra,
});
const delta = (d: Record<string, unknown>, finish_reason: string | null = null, index = 0) => ({ index, delta: d, logprobs: null, finish_reason });

const openai = {
  object: 'chat.completion',
  created: 1727000000,
  model: 'gpt-4o-mini-2024-07-18',
  service_tier: 'default',
  system_fingerprint: 'fp_0ba0d124f1',
} as const;
const mem = { id: 'chatcmpl-mem', object: 'chat.completion', created: 1727000001, model: 'gpt-4o-mini' } as const;
const text = (content: string | null, finish_reason = 'stop', index = 0) => ({
  index,
  message: { role: 'assistant', content, refusal: null },
  logprobs: null,
  finish_reason,
});
const safe = { filtered: false, severity: 'safe' };
const allSafe = { hate: safe, self_harm: safe, sexual: safe, violence: safe };

// ---------------------------------------------------------------------------------------------

describe('the recorded streams', () => {
  const expected: Record<string, ChatCompletion | Record<string, unknown>> = {
    'plain-text.txt': { ...openai, id: 'chatcmpl-plain1', choices: [text('Hello! How can I help you today?')] },
    'multibyte.txt': { ...openai, id: 'chatcmpl-multi1', choices: [text('Café crème brûlée — 👋🏽 👨‍👩‍👧‍👦 你好世界，日本語のテキスト 🎉')] },
    'parallel-tool-calls.txt': {
      ...openai,
      id: 'chatcmpl-tools1',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: null,
            refusal: null,
            tool_calls: [
              { id: 'call_weatherParis', type: 'function', function: { name: 'get_weather', arguments: '{"location": "Paris"}' } },
              { id: 'call_weatherTokyo', type: 'function', function: { name: 'get_weather', arguments: '{"location": "Tokyo"}' } },
            ],
          },
          logprobs: null,
          finish_reason: 'tool_calls',
        },
      ],
    },
    'function-call.txt': {
      ...openai,
      id: 'chatcmpl-fn1',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: null, refusal: null, function_call: { name: 'get_time', arguments: '{"timezone":"Europe/Berlin"}' } },
          logprobs: null,
          finish_reason: 'function_call',
        },
      ],
    },
    'n2-interleaved.txt': { ...openai, id: 'chatcmpl-n2', choices: [text('Red apples.', 'stop', 0), text('Green pears and plums.', 'length', 1)] },
    'usage.txt': {
      ...openai,
      id: 'chatcmpl-usage1',
      choices: [text('Four.')],
      usage: {
        prompt_tokens: 14,
        completion_tokens: 2,
        total_tokens: 16,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
      },
    },
    'logprobs.txt': {
      ...openai,
      id: 'chatcmpl-lp1',
      choices: [
        {
          ...text('Yes.'),
          logprobs: {
            content: [
              {
                token: 'Yes',
                logprob: -0.0001,
                bytes: [89, 101, 115],
                top_logprobs: [
                  { token: 'Yes', logprob: -0.0001, bytes: [89, 101, 115] },
                  { token: 'No', logprob: -9.2, bytes: [78, 111] },
                ],
              },
              {
                token: '.',
                logprob: -0.12,
                bytes: [46],
                top_logprobs: [
                  { token: '.', logprob: -0.12, bytes: [46] },
                  { token: 'No', logprob: -9.2, bytes: [78, 111] },
                ],
              },
            ],
            refusal: null,
          },
        },
      ],
    },
    'refusal.txt': {
      ...openai,
      id: 'chatcmpl-ref1',
      model: 'gpt-4o-2024-08-06',
      choices: [
        { index: 0, message: { role: 'assistant', content: null, refusal: "I'm sorry, I can't help with that." }, logprobs: null, finish_reason: 'stop' },
      ],
    },
    // The first chunk (empty `choices`, blank id and model) must neither add a choice nor win.
    'azure-content-filter.txt': {
      id: 'chatcmpl-azure1',
      object: 'chat.completion',
      created: 1727000000,
      model: 'gpt-4o-2024-08-06',
      system_fingerprint: 'fp_azure',
      prompt_filter_results: [{ prompt_index: 0, content_filter_results: allSafe }],
      // The last chunk's `{}` must not erase the results an earlier chunk gave.
      choices: [{ ...text('Bonjour !'), content_filter_results: allSafe }],
    },
    'keep-alive.txt': { ...openai, id: 'chatcmpl-ka1', choices: [text('Still here.')] },
    'crlf.txt': { ...openai, id: 'chatcmpl-crlf1', choices: [text('Line endings are CRLF.')] },
    'missing-final-blank-line.txt': {
      ...openai,
      id: 'chatcmpl-noblank',
      model: 'llama-3.1-8b-instruct',
      system_fingerprint: null,
      choices: [text('No blank line at the end.')],
    },
  };

  it('has an expectation for every fixture', () => {
    expect(fixtureNames.sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [name, completion] of Object.entries(expected)) {
    it(`folds ${name} into the non-streamed completion`, async () => {
      expect(await accumulateFixture(name)).toStrictEqual(completion);
    });
  }

  it('gets the same completion when the bytes arrive one at a time', async () => {
    expect(await accumulateFixture('multibyte.txt', 1)).toStrictEqual(expected['multibyte.txt']);
    expect(await accumulateFixture('parallel-tool-calls.txt', 1)).toStrictEqual(expected['parallel-tool-calls.txt']);
  });
});

describe('tool calls', () => {
  it('does not duplicate a first entry repeated with the same id, nor double its name or role', async () => {
    const first = { index: 0, id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '' } };
    const completion = await accumulateChatCompletion(
      streamOf([
        chunk([delta({ role: 'assistant', content: null, tool_calls: [first] })]),
        chunk([delta({ role: 'assistant', tool_calls: [first] })]),
        chunk([delta({ tool_calls: [{ index: 0, function: { arguments: '{"q":' } }] })]),
        chunk([delta({ tool_calls: [{ index: 0, id: 'call_1', function: { arguments: '1}' } }] })]),
        chunk([delta({}, 'tool_calls')]),
      ]),
    );
    expect(completion.choices[0].message).toStrictEqual({
      role: 'assistant',
      content: null,
      refusal: null,
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":1}' } }],
    });
  });

  it('joins the input of a custom tool call', async () => {
    const completion = await accumulateChatCompletion(
      streamOf([
        chunk([delta({ role: 'assistant', tool_calls: [{ index: 0, id: 'call_sql', type: 'custom', custom: { name: 'run_sql', input: '' } }] })]),
        chunk([delta({ tool_calls: [{ index: 0, custom: { input: 'SELECT' } }] })]),
        chunk([delta({ tool_calls: [{ index: 0, custom: { input: ' 1;' } }] })]),
        chunk([delta({}, 'tool_calls')]),
      ]),
    );
    expect(completion.choices[0].message.tool_calls).toStrictEqual([{ id: 'call_sql', type: 'custom', custom: { name: 'run_sql', input: 'SELECT 1;' } }]);
  });

  it('keeps tool calls in index order and closes the gaps of skipped indices', async () => {
    const call = (index: number, id: string) => ({ index, id, type: 'function', function: { name: id, arguments: '{}' } });
    const completion = await accumulateChatCompletion(streamOf([chunk([delta({ tool_calls: [call(2, 'b'), call(1, 'a')] }, 'tool_calls')])]));
    expect(completion.choices[0].message.tool_calls!.map((c) => c.id)).toEqual(['a', 'b']);
  });
});

describe('choices, audio and fields the SDK does not know', () => {
  it('gives every choice in index order, whatever order they arrive in', async () => {
    const completion = await accumulateChatCompletion(
      streamOf([chunk([delta({ content: 'B' }, null, 1)]), chunk([delta({ content: 'A' }, 'stop', 0)]), chunk([delta({}, 'length', 1)])]),
    );
    expect(completion.choices).toStrictEqual([text('A', 'stop', 0), text('B', 'length', 1)]);
  });

  it('joins audio data and transcript, keeping its id and expiry', async () => {
    const completion = await accumulateChatCompletion(
      streamOf([
        chunk([delta({ role: 'assistant', content: null, audio: { id: 'audio_1', data: 'UklG', transcript: 'Hel', expires_at: 1727003600 } })]),
        chunk([delta({ audio: { data: 'RiQA', transcript: 'lo.' } })]),
        chunk([delta({ audio: { id: 'audio_1', data: 'AABX' } }, 'stop')]),
      ]),
    );
    expect(completion.choices[0].message).toStrictEqual({
      role: 'assistant',
      content: null,
      refusal: null,
      audio: { id: 'audio_1', data: 'UklGRiQAAABX', transcript: 'Hello.', expires_at: 1727003600 },
    });
  });

  it('keeps unknown fields of the chunk, the choice and the delta, and drops the chunk-only ones', async () => {
    const completion = await accumulateChatCompletion(
      streamOf([
        chunk([{ ...delta({ role: 'assistant', reasoning_content: 'Think', content: '' }), native_finish_reason: null }], {
          provider: 'Acme',
          obfuscation: 'x7',
        }),
        chunk([delta({ reasoning_content: 'ing.' })], { provider: 'Acme', obfuscation: 'q' }),
        chunk([
          {
            ...delta({ content: 'Done.', annotations: [{ type: 'url_citation', url_citation: { url: 'https://a.example' } }] }),
            native_finish_reason: 'end_turn',
          },
        ]),
        chunk([delta({}, 'stop')], { citations: ['https://a.example'] }),
        chunk([delta({}, 'stop')], { citations: ['https://a.example'] }),
      ]),
    );
    expect(completion).toStrictEqual({
      ...mem,
      provider: 'Acme',
      // A server repeating a top-level list every chunk gets it once, not once a chunk.
      citations: ['https://a.example'],
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Done.',
            refusal: null,
            // Unknown strings in a delta are pieces like `content`: DeepSeek streams its reasoning so.
            reasoning_content: 'Thinking.',
            annotations: [{ type: 'url_citation', url_citation: { url: 'https://a.example' } }],
          },
          logprobs: null,
          finish_reason: 'stop',
          native_finish_reason: 'end_turn',
        },
      ],
    });
  });

  it('gives content "" when only empty pieces arrived, and null when none did', async () => {
    const completion = await accumulateChatCompletion(streamOf([chunk([delta({ role: 'assistant', content: '', refusal: null }, 'length')])]));
    expect(completion.choices[0].message).toStrictEqual({ role: 'assistant', content: '', refusal: null });
  });

  it('does not change the chunks it reads', async () => {
    const chunks = [
      chunk([
        {
          ...delta({ content: 'a', tool_calls: [{ index: 0, id: 'c', type: 'function', function: { name: 'f', arguments: 'x' } }] }),
          logprobs: { content: [{ token: 'a' }], refusal: null },
        },
      ]),
      chunk([{ ...delta({ content: 'b', tool_calls: [{ index: 0, function: { arguments: 'y' } }] }), logprobs: { content: [{ token: 'b' }], refusal: null } }]),
      chunk([delta({}, 'stop')], { usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } }),
    ];
    const before = structuredClone(chunks);
    const completion = await accumulateChatCompletion(streamOf(chunks));
    expect(chunks).toStrictEqual(before);
    expect(completion.choices[0].logprobs!.content!.map((lp) => lp.token)).toEqual(['a', 'b']);
  });

  it('rejects with an OpenAIError, not an empty completion, for a stream with no chunks', async () => {
    await expect(accumulateChatCompletion(streamOf([]))).rejects.toThrow(/no chunk arrived/);
  });
});

describe('inputs and failures', () => {
  const chunks = [chunk([delta({ role: 'assistant', content: 'Hi' })]), chunk([delta({ content: '!' }, 'stop')])];

  it('reads an AsyncIterable as well as a ReadableStream', async () => {
    async function* generate() {
      for (const c of chunks) yield c as ChatCompletionChunk;
    }
    const completion = await accumulateChatCompletion(generate());
    expect(completion).toStrictEqual({ ...mem, choices: [text('Hi!')] });
    expect(await accumulateChatCompletion(streamOf(chunks))).toStrictEqual(completion);
  });

  it('rejects with the very error the stream failed with', async () => {
    const error = new Error('connection reset');
    await expect(accumulateChatCompletion(streamOf(chunks.slice(0, 1), error))).rejects.toBe(error);
  });

  it('rejects with the error an AsyncIterable throws', async () => {
    const error = new TypeError('boom');
    async function* generate() {
      yield chunks[0] as ChatCompletionChunk;
      throw error;
    }
    await expect(accumulateChatCompletion(generate())).rejects.toBe(error);
  });

  it('rejects with the APIError of an error event in the bytes', async () => {
    const bytes = new TextEncoder().encode(
      `data: ${JSON.stringify(chunks[0])}\n\nevent: error\ndata: {"error":{"message":"Overloaded","type":"server_error","code":null,"param":null}}\n\n`,
    );
    const failure = accumulateChatCompletion(parseServerSentEvents(body(bytes)));
    await expect(failure).rejects.toBeInstanceOf(APIError);
    await expect(failure).rejects.toMatchObject({ message: '200 Overloaded', type: 'server_error' });
  });

  it('cancels the source when a chunk cannot be folded', async () => {
    const source = streamOf([chunk(42 as unknown as unknown[]), ...chunks]);
    await expect(accumulateChatCompletion(source)).rejects.toThrow(new OpenAIError("A stream chunk's choices is not a list (got a number)."));
    expect(source.cancelled).toHaveLength(1);
    expect(source.cancelled[0]).toBeInstanceOf(OpenAIError);
  });
});
