import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accumulateChatCompletion } from '../src/fold/accumulate.js';
import { parseServerSentEvents } from '../src/stream/chunk-stream.js';
import { RECORDED, bodyOf, recorded } from './helpers/fold-streams.js';
import { specChecker } from './helpers/schema-check.js';

// Every recorded provider stream (test/fixtures/streams/recorded/), its chunks and its fold,
// against the spec's schemas as the SDK's types declare them: where a provider departs from the
// spec, the SDK either makes the value what the type says (a missing `finish_reason` is `null`)
// or its type says so too (the widenings below, each mirroring a type in src/types/).
const check = specChecker((schemas) => {
  const chunk = schemas.CreateChatCompletionStreamResponse!.properties;
  const completion = schemas.CreateChatCompletionResponse!.properties;
  // `system_fingerprint?: string | null`: Azure, Groq and Qwen send null.
  chunk.system_fingerprint.nullable = true;
  completion.system_fingerprint.nullable = true;
  // ChatCompletionChunk's `object: 'chat.completion.chunk' | (string & {})`: Azure's prompt-filter chunk
  // says "", Perplexity's last "chat.completion.done".
  delete chunk.object.enum;
  // ChatCompletionMessageToolCallChunk's `index?: number`: Mistral leaves it out.
  const call = schemas.ChatCompletionMessageToolCallChunk!;
  call.required = call.required.filter((name: string) => name !== 'index');
});

/**
 * What the types do not declare, each a known provider departure (and only these pass):
 * Mistral streams `content` as a list of thinking and text parts, which the fold keeps as parts
 * (see accumulateChatCompletion).
 */
const UNTYPED: { file: RegExp; problem: RegExp }[] = [
  {
    file: /^mistral-(reasoning|magistral-thinking|thinking-then-text)\.txt$/,
    problem: /^\$\.choices\[\d+\](\.delta|\.message)\.content: fits no branch of anyOf; closest: .* is array, not string$/,
  },
];

const files = readdirSync(RECORDED).filter((name) => name.endsWith('.txt'));

async function chunksOf(file: string): Promise<Record<string, any>[]> {
  const chunks: Record<string, any>[] = [];
  for await (const chunk of parseServerSentEvents(bodyOf([recorded(file)]))) chunks.push(chunk);
  return chunks;
}

const unexplained = (file: string, problems: string[]) =>
  problems.filter((problem) => !UNTYPED.some((known) => known.file.test(file) && known.problem.test(problem)));

describe('recorded streams against the spec', () => {
  it('has the recordings to walk', () => {
    expect(files.length).toBeGreaterThanOrEqual(18);
  });

  it.each(files)('%s: every chunk fits CreateChatCompletionStreamResponse', async (file) => {
    const chunks = await chunksOf(file);
    expect(chunks.length).toBeGreaterThan(0);
    const problems = chunks.flatMap((chunk, i) => check(chunk, 'CreateChatCompletionStreamResponse').map((problem) => `chunk ${i}: ${problem}`));
    expect(
      unexplained(
        file,
        problems.map((problem) => problem.replace(/^chunk \d+: /, '')),
      ),
    ).toEqual([]);
  });

  it.each(files)('%s: every choice of every chunk has a finish_reason, null until the last', async (file) => {
    for (const chunk of await chunksOf(file)) {
      for (const choice of chunk.choices) expect(choice.finish_reason === null || typeof choice.finish_reason === 'string').toBe(true);
    }
  });

  it.each(files)('%s: the fold fits CreateChatCompletionResponse', async (file) => {
    const completion = await accumulateChatCompletion(parseServerSentEvents(bodyOf([recorded(file)])));
    expect(unexplained(file, check(completion, 'CreateChatCompletionResponse'))).toEqual([]);
  });
});

describe('the schema check itself', () => {
  const chunk = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'a' }, finish_reason: null }] };

  it('passes a chunk as OpenAI sends it', () => {
    expect(check(chunk, 'CreateChatCompletionStreamResponse')).toEqual([]);
  });

  it('names what is missing, of the wrong type, or outside an enum', () => {
    const bad = { ...chunk, created: 'now', choices: [{ index: 0.5, delta: { role: 'robot', content: 1 } }] };
    expect(check(bad, 'CreateChatCompletionStreamResponse')).toEqual([
      '$.created: "now" is string, not integer',
      '$.choices[0].finish_reason: required, missing',
      '$.choices[0].index: 0.5 is number, not integer',
      '$.choices[0].delta.role: "robot" is not one of ["developer","system","user","assistant","tool"]',
      '$.choices[0].delta.content: fits no branch of anyOf; closest: $.choices[0].delta.content: 1 is number, not string',
    ]);
  });

  it('follows $ref and nullable', () => {
    expect(check({ ...chunk, usage: null }, 'CreateChatCompletionStreamResponse')).toEqual([]);
    expect(check({ ...chunk, usage: { prompt_tokens: 'x' } }, 'CreateChatCompletionStreamResponse')).toEqual(
      expect.arrayContaining(['$.usage.completion_tokens: required, missing', '$.usage.prompt_tokens: "x" is string, not integer']),
    );
  });
});
