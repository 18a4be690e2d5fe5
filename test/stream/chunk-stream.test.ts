import { getEventListeners } from 'node:events';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { Attempt } from '../../src/http/attempt.js';
import { APIConnectionError, APIError, APIUserAbortError, InvalidResponseError, OpenAIError } from '../../src/errors.js';
import { chunkStream, parseServerSentEvents } from '../../src/stream/chunk-stream.js';
import { testAttempt } from '../helpers/attempt.js';
import { bytes, fixture, fixtureNames, fixtureText, piecesOf, readAll, split } from '../helpers/streams.js';
import { createSSEParser } from '../../src/stream/sse-parser.js';
import type { ChatCompletionChunk } from '../../src/types/index.js';

// ---------------------------------------------------------------------------------------------
// Helpers: a body made of given pieces that counts its pulls, and ways to read the chunks.

const text = fixtureText;

interface Source {
  body: ReadableStream<Uint8Array>;
  /** How many times the parser asked the body for a piece. */
  pulls: number;
  cancelled: boolean;
  cancelReason: unknown;
}

/**
 * A body that hands out one piece per pull, nothing ahead (highWaterMark 0), then closes;
 * with `failAfter`, it errors instead of giving piece number `failAfter`.
 */
function source(pieces: Uint8Array[], failAfter?: { pieces: number; error: unknown }): Source {
  let next = 0;
  const s: Source = {
    pulls: 0,
    cancelled: false,
    cancelReason: undefined,
    body: new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          s.pulls++;
          if (failAfter && next === failAfter.pieces) controller.error(failAfter.error);
          else if (next < pieces.length) controller.enqueue(pieces[next++]);
          else controller.close();
        },
        cancel(reason) {
          s.cancelled = true;
          s.cancelReason = reason;
        },
      },
      { highWaterMark: 0 },
    ),
  };
  return s;
}

interface Outcome {
  chunks: ChatCompletionChunk[];
  error?: unknown;
}

async function read(stream: ReadableStream<ChatCompletionChunk>): Promise<Outcome> {
  const { values, error } = await readAll(stream);
  return { chunks: values, error };
}

/** Parses the pieces as the public function does, or as a request's `attempt` would. */
function parse(pieces: Uint8Array[] | Uint8Array | string, attempt?: Attempt) {
  const body = source(typeof pieces === 'string' ? [bytes(pieces)] : pieces instanceof Uint8Array ? [pieces] : pieces).body;
  return read(attempt ? chunkStream(body, attempt) : parseServerSentEvents(body));
}

/** An outcome as plain data, to compare two parses of the same bytes. */
const summary = ({ chunks, error }: Outcome) => ({ chunks, error: error === undefined ? undefined : `${(error as Error).name}: ${(error as Error).message}` });

/** What the deltas of one choice say, joined: `content`, `refusal` or a tool call's arguments. */
function joined(chunks: ChatCompletionChunk[], pick: (delta: ChatCompletionChunk['choices'][number]['delta']) => string | null | undefined, index = 0): string {
  return chunks
    .flatMap((chunk) => chunk.choices.filter((choice) => choice.index === index))
    .map((choice) => pick(choice.delta) ?? '')
    .join('');
}
const content = (chunks: ChatCompletionChunk[], index = 0) => joined(chunks, (delta) => delta.content, index);

const chunk = (content: string | null, finish: string | null = null, index = 0) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-t', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index, delta: { content }, finish_reason: finish }] })}\n\n`;
const DONE = 'data: [DONE]\n\n';
/** An attempt whose response carried a request id, as the errors of its stream must. */
const withInfo = () => testAttempt({ response: new Response(null, { headers: { 'x-request-id': 'req_42' } }) });

// ---------------------------------------------------------------------------------------------

describe('the recorded streams', () => {
  const expectations: Record<string, (chunks: ChatCompletionChunk[]) => void> = {
    'plain-text.txt': (chunks) => {
      expect(chunks).toHaveLength(11);
      expect(content(chunks)).toBe('Hello! How can I help you today?');
    },
    'multibyte.txt': (chunks) => expect(content(chunks)).toBe('Café crème brûlée — 👋🏽 👨‍👩‍👧‍👦 你好世界，日本語のテキスト 🎉'),
    'crlf.txt': (chunks) => expect(content(chunks)).toBe('Line endings are CRLF.'),
    'keep-alive.txt': (chunks) => {
      expect(chunks).toHaveLength(5);
      expect(content(chunks)).toBe('Still here.');
    },
    'parallel-tool-calls.txt': (chunks) => {
      const args = (index: number) =>
        joined(chunks, (delta) =>
          delta.tool_calls
            ?.filter((call) => call.index === index)
            .map((call) => call.function?.arguments)
            .join(''),
        );
      expect(args(0)).toBe('{"location": "Paris"}');
      expect(args(1)).toBe('{"location": "Tokyo"}');
      expect(chunks.at(-1)!.choices[0].finish_reason).toBe('tool_calls');
    },
    'function-call.txt': (chunks) => {
      expect(joined(chunks, (delta) => delta.function_call?.arguments)).toBe('{"timezone":"Europe/Berlin"}');
      expect(chunks.at(-1)!.choices[0].finish_reason).toBe('function_call');
    },
    'n2-interleaved.txt': (chunks) => {
      expect(content(chunks, 0)).toBe('Red apples.');
      expect(content(chunks, 1)).toBe('Green pears and plums.');
      expect(
        chunks
          .flatMap((c) => c.choices)
          .filter((c) => c.finish_reason)
          .map((c) => [c.index, c.finish_reason]),
      ).toEqual([
        [0, 'stop'],
        [1, 'length'],
      ]);
    },
    'usage.txt': (chunks) => {
      expect(content(chunks)).toBe('Four.');
      expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 14, completion_tokens: 2, total_tokens: 16 } });
    },
    'logprobs.txt': (chunks) => expect(chunks.flatMap((c) => c.choices[0].logprobs?.content ?? []).map((lp) => lp.token)).toEqual(['Yes', '.']),
    'refusal.txt': (chunks) => expect(joined(chunks, (delta) => delta.refusal)).toBe("I'm sorry, I can't help with that."),
    'azure-content-filter.txt': (chunks) => {
      expect(chunks[0]).toMatchObject({ choices: [], prompt_filter_results: [{ prompt_index: 0 }] });
      expect(content(chunks)).toBe('Bonjour !');
    },
    'missing-final-blank-line.txt': (chunks) => {
      expect(content(chunks)).toBe('No blank line at the end.');
      expect(chunks.at(-1)!.choices[0].finish_reason).toBe('stop');
    },
  };

  it('has an expectation for every fixture', () => {
    expect(fixtureNames.sort()).toEqual(Object.keys(expectations).sort());
  });

  for (const [name, expectation] of Object.entries(expectations)) {
    it(`parses ${name} whole, and in single bytes`, async () => {
      const whole = await parse(fixture(name));
      expect(whole.error).toBeUndefined();
      expectation(whole.chunks);
      expect(summary(await parse(piecesOf(fixture(name), 1)))).toEqual(summary(whole));
    });
  }
});

describe('decoding and line endings', () => {
  it('keeps multi-byte characters whole when a piece ends inside one', async () => {
    const all = bytes(chunk('é🎉你') + chunk(null, 'stop') + DONE);
    const start = all.indexOf(0xc3); // é is C3 A9; 🎉 and 你 follow
    for (let cut = start + 1; cut < start + 9; cut++) {
      const { chunks, error } = await parse(split(all, [cut]));
      expect(error).toBeUndefined();
      expect(content(chunks)).toBe('é🎉你');
    }
  });

  it('takes a CR ending one piece and an LF starting the next as one line end', async () => {
    // Were the LF taken as an empty line, the event would be dispatched after its first line.
    const transcript = 'data: {"id":"x","choices":\r\ndata: [{"index":0,"delta":{},"finish_reason":"stop"}]}\r\n\r\n';
    const all = bytes(transcript);
    const crs = [...transcript].flatMap((char, i) => (char === '\r' ? [i + 1] : []));
    for (const cut of crs) {
      const { chunks, error } = await parse(split(all, [cut]));
      expect(error).toBeUndefined();
      expect(chunks).toEqual([{ id: 'x', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }]);
    }
    expect(summary(await parse(split(all, crs)))).toEqual(summary(await parse(all)));
  });

  it('reads CRLF, CR-only and mixed line endings like LF', async () => {
    const lf = text('plain-text.txt');
    const expected = summary(await parse(lf));
    expect(text('crlf.txt')).toContain('\r\n');
    expect(text('crlf.txt')).not.toMatch(/[^\r]\n/);
    expect(summary(await parse(lf.replace(/\n/g, '\r\n')))).toEqual(expected);
    expect(summary(await parse(lf.replace(/\n/g, '\r')))).toEqual(expected);
    let i = 0;
    expect(summary(await parse(lf.replace(/\n/g, () => ['\n', '\r', '\r\n'][i++ % 3])))).toEqual(expected);
  });

  it('drops one leading byte order mark, even split into single bytes', async () => {
    const expected = summary(await parse(fixture('plain-text.txt')));
    const withBOM = new Uint8Array([0xef, 0xbb, 0xbf, ...fixture('plain-text.txt')]);
    expect(summary(await parse(withBOM))).toEqual(expected);
    expect(summary(await parse(piecesOf(withBOM, 1)))).toEqual(expected);
    // A second one is part of the first field's name, which no field has: that line is ignored.
    const twoBOMs = bytes('\ufeff\ufeff' + chunk('lost') + chunk('kept') + chunk(null, 'stop') + DONE);
    expect(content((await parse(twoBOMs)).chunks)).toBe('kept');
  });
});

describe('the event stream format', () => {
  it('ignores comments (keep-alives), alone or between events', async () => {
    const { chunks, error } = await parse(`: keep-alive\n\n:\n${chunk('a')}: ping\n${chunk(null, 'stop')}: bye\n\n${DONE}`);
    expect(error).toBeUndefined();
    expect(chunks).toHaveLength(2);
  });

  it('joins the data lines of one event with \\n', async () => {
    const { chunks } = await parse(`data: {"id":"x",\ndata:"choices":\ndata: [{"index":0,"delta":{"content":"a\\nb"},"finish_reason":"stop"}]}\n\n`);
    expect(content(chunks)).toBe('a\nb');
  });

  it('understands event, id and retry fields, a field without colon, and one space removed', async () => {
    const transcript = `id: 1\nretry: 3000\nevent: message\n${chunk('a')}id\nretry: soon\nunknown: field\ndata:${chunk('b', 'stop').slice(5)}${DONE}`;
    const { chunks, error } = await parse(transcript);
    expect(error).toBeUndefined();
    expect(content(chunks)).toBe('ab');
  });

  it('does not dispatch an event without data lines, nor an empty data line', async () => {
    const { chunks, error } = await parse(`event: ping\n\nid: 7\n\ndata:\n\n${chunk('a', 'stop')}`);
    expect(error).toBeUndefined();
    expect(chunks).toHaveLength(1);
  });
});

describe('the end of the stream', () => {
  it('closes at data: [DONE] at once, then reads the body on only so far (64 KiB) before it cancels it', async () => {
    // A body that would go on sending keep-alives after [DONE], far past the drain's bound.
    const keepAlive = bytes(': keep-alive\n\n');
    const s = source([bytes(chunk('a', 'stop') + DONE + chunk('after [DONE]')), ...Array.from({ length: 10_000 }, () => keepAlive)]);
    const attempt = testAttempt();
    const done = vi.spyOn(attempt, 'done');
    const { chunks, error } = await read(chunkStream(s.body, attempt));
    expect(error).toBeUndefined();
    expect(content(chunks)).toBe('a');
    await vi.waitFor(() => expect(s.cancelled).toBe(true));
    // The first piece, then at most 64 KiB of keep-alives (and the read that crossed it).
    expect(s.pulls).toBeLessThanOrEqual(2 + Math.ceil((64 * 1024) / keepAlive.length));
    expect(s.pulls).toBeGreaterThan(1);
    expect(done).toHaveBeenCalled();
  });

  it('reads a short rest of the body after [DONE] to its end, so that the connection can be reused', async () => {
    const s = source([bytes(chunk('a', 'stop') + DONE), bytes(': bye\n\n')]);
    const { chunks } = await read(chunkStream(s.body, testAttempt()));
    expect(content(chunks)).toBe('a');
    await vi.waitFor(() => expect(s.pulls).toBe(3));
    expect(s.cancelled).toBe(false);
  });

  it('delivers a last event that the body ends without its blank line', async () => {
    for (const end of ['\n', '\r', '\r\n', '']) {
      const { chunks, error } = await parse(chunk('a') + chunk('b', 'stop').trimEnd() + end);
      expect(error).toBeUndefined();
      expect(content(chunks)).toBe('ab');
    }
  });

  it('takes a body that ends inside its last event for the cut itself: a finished answer ends cleanly', async () => {
    const usage = `data: ${JSON.stringify({ id: 'chatcmpl-t', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } })}`;
    for (const tail of ['data: [DON', 'data: [', 'data:', usage.slice(0, 40), usage.slice(0, -1)]) {
      const { chunks, error } = await parse(chunk('a') + chunk('b', 'stop') + tail);
      expect(error, tail).toBeUndefined();
      expect(content(chunks)).toBe('ab');
    }
  });

  it('takes a body that ends inside its last event before the answer finished for a cut stream, not a malformed event', async () => {
    for (const tail of ['data: [DON', chunk('c').slice(0, 30)]) {
      const { chunks, error } = await parse(chunk('a') + chunk('b') + tail);
      expect(content(chunks)).toBe('ab');
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect((error as Error).message).toMatch(/^The stream ended before the answer finished \(choice 0 has no finish_reason\)/);
    }
  });

  it('still refuses a malformed event that was terminated, even at the end', async () => {
    const { error } = await parse(chunk('a', 'stop') + 'data: {"choices": [\n\n');
    expect((error as Error).message).toMatch(/not a JSON object/);
  });

  it('closes a stream whose choices all finished, without [DONE] (some compatible servers)', async () => {
    const { chunks, error } = await parse(text('plain-text.txt').replace(DONE, ''));
    expect(error).toBeUndefined();
    expect(chunks).toHaveLength(11);
    expect(summary(await parse(text('n2-interleaved.txt').replace(DONE, ''))).error).toBeUndefined();
  });

  it('errors a stream cut before every choice finished, after delivering what came', async () => {
    const events = text('plain-text.txt').split('\n\n');
    const { chunks, error } = await parse(events.slice(0, 5).join('\n\n') + '\n\n', withInfo());
    expect(chunks).toHaveLength(5);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toContain('stream ended before the answer finished');
    expect((error as Error).message).toContain('choice 0 has no finish_reason');
    expect(error).toMatchObject({ status: 200, requestId: 'req_42' });
  });

  it('errors when one of n choices is cut, naming it', async () => {
    const { error } = await parse(chunk('a', null, 0) + chunk('b', null, 1) + chunk(null, 'stop', 0));
    expect((error as Error).message).toBe(
      'The stream ended before the answer finished (choice 1 has no finish_reason), and no [DONE] arrived (reading an event stream).',
    );
  });

  it('reads choice indices as the fold does: "1" and 1 are two choices, and a string index is never quoted', async () => {
    const secretish = 'sk-proj-looks-like-a-key-0123456789';
    const stringIndex = (index: string) => `data: {"choices":[{"index":${JSON.stringify(index)},"delta":{"content":"x"}}]}\n\n`;
    const { error } = await parse(chunk('a', 'stop', 1) + stringIndex('1') + stringIndex(secretish));
    expect((error as Error).message).toBe(
      'The stream ended before the answer finished (choice string, string has no finish_reason), and no [DONE] arrived (reading an event stream).',
    );
    expect((error as Error).message).not.toContain('sk-proj');
  });

  it('errors an empty body, a comments-only body and a body without any choice', async () => {
    for (const body of [
      '',
      ': keep-alive\n\n: keep-alive\n\n',
      text('azure-content-filter.txt').split('\n\n')[0] + '\n\n',
      text('usage.txt').split('\n\n').at(-3) + '\n\n',
    ]) {
      const { chunks, error } = await parse(body);
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect((error as Error).message).toContain('stream ended before the answer finished (no choice arrived)');
      expect(chunks.length).toBeLessThanOrEqual(1);
    }
  });

  it('does not count choices: [] chunks (usage, Azure prompt filter) as unfinished', async () => {
    const usage = text('usage.txt').replace(DONE, '');
    expect(summary(await parse(usage)).error).toBeUndefined();
    expect(summary(await parse(text('azure-content-filter.txt').replace(DONE, ''))).error).toBeUndefined();
  });

  it('trusts [DONE] even before any choice finished', async () => {
    expect(summary(await parse(chunk('a') + DONE)).error).toBeUndefined();
  });
});

describe('errors inside the stream', () => {
  const apiError = { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: 'internal_error' };

  it('raises an {"error": {...}} event as an APIError with its fields, after the chunks before it', async () => {
    const { chunks, error } = await parse(chunk('a') + chunk('b') + `data: ${JSON.stringify({ error: apiError })}\n\n` + chunk('never'), withInfo());
    expect(content(chunks)).toBe('ab');
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({
      status: 200,
      requestId: 'req_42',
      headers: { 'x-request-id': 'req_42' },
      type: 'server_error',
      code: 'internal_error',
      param: null,
      error: apiError,
    });
    expect((error as Error).message).toBe(`200 ${apiError.message}`);
  });

  it('raises an event: error as an APIError, whatever its data holds', async () => {
    const cases: [string, object][] = [
      [JSON.stringify({ error: apiError }), apiError],
      [JSON.stringify({ message: 'Overloaded', type: 'overloaded_error' }), { message: 'Overloaded', type: 'overloaded_error' }],
      [JSON.stringify({ code: 'busy' }), { code: 'busy', message: '{"code":"busy"}' }],
      ['"Rate limited"', { message: 'Rate limited' }],
      ['Internal error, not JSON', { message: 'Internal error, not JSON' }],
    ];
    for (const [data, expected] of cases) {
      const { error } = await parse(`${chunk('a')}event: error\ndata: ${data}\n\n`);
      expect(error).toBeInstanceOf(APIError);
      expect((error as APIError).error).toEqual(expected);
    }
    const empty = await parse(`event: error\ndata:\n\n`);
    expect(empty.error).toBeInstanceOf(APIError);
  });

  it('raises malformed JSON as an InvalidResponseError quoting the event', async () => {
    const data = '{"id":"chatcmpl-bad","choices":[' + 'x'.repeat(300);
    const { chunks, error } = await parse(chunk('a') + `data: ${data}\n\n` + chunk(null, 'stop'), withInfo());
    expect(content(chunks)).toBe('a');
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(/^A stream event is not a JSON object \(POST https:\/\/api\.test\/v1\/chat\/completions\): /);
    expect((error as Error).message).toContain(data.slice(0, 100) + '…');
    expect((error as Error).message).not.toContain(data.slice(0, 101));
    expect(error).toMatchObject({ requestId: 'req_42' });
  });

  it('raises an event that is JSON but not an object', async () => {
    for (const data of ['42', 'null', '[1]', '"text"']) {
      const { error } = await parse(`data: ${data}\n\n`);
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect((error as Error).message).toContain('not a JSON object');
    }
  });

  it('raises a failed body read as APIConnectionError after the chunks before it, and ends the attempt', async () => {
    const pieces = [bytes(chunk('a')), bytes(chunk('b'))];
    const cause = new TypeError('terminated');
    const attempt = testAttempt();
    const done = vi.spyOn(attempt, 'done');
    const dropped = await read(chunkStream(source(pieces, { pieces: 2, error: cause }).body, attempt));
    expect(content(dropped.chunks)).toBe('ab');
    expect(dropped.error).toBeInstanceOf(APIConnectionError);
    expect((dropped.error as Error).message).toBe('Connection error: terminated (POST https://api.test/v1/chat/completions).');
    expect((dropped.error as Error).cause).toBe(cause);
    expect(done).toHaveBeenCalled();
  });

  it('refuses a line that never ends past 64 M characters, and cancels the body', async () => {
    const megabyte = new Uint8Array(1 << 20).fill(0x61);
    const s = source(Array.from({ length: 80 }, () => megabyte));
    const { error } = await read(parseServerSentEvents(s.body));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(/grew past 67108864 characters/);
    expect(s.pulls).toBe(65);
    expect(s.cancelled).toBe(true);
  });
});

describe('backpressure and cancel', () => {
  const all = fixture('plain-text.txt');
  const pieces = piecesOf(all, 16);

  it('reads the body only as far as the chunks are read', async () => {
    const s = source(pieces);
    const attempt = testAttempt();
    const received = vi.spyOn(attempt, 'received');
    const reader = chunkStream(s.body, attempt).getReader();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(s.pulls).toBe(0);
    await reader.read();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const firstEvent = text('plain-text.txt').indexOf('\n\n') + 2;
    expect(s.pulls).toBe(Math.ceil(firstEvent / 16));
    expect(s.pulls).toBeLessThan(pieces.length / 5);
    expect(received).toHaveBeenCalledTimes(s.pulls);
    await reader.read();
    expect(s.pulls).toBeLessThan(pieces.length / 2);
  });

  it('cancels the body when the chunks are cancelled, and reads no more', async () => {
    const s = source(pieces);
    const attempt = testAttempt();
    const done = vi.spyOn(attempt, 'done');
    const reader = chunkStream(s.body, attempt).getReader();
    await reader.read();
    const pulls = s.pulls;
    await reader.cancel('user went away');
    expect(s.cancelled).toBe(true);
    expect(s.cancelReason).toBe('user went away');
    expect(done).toHaveBeenCalled();
    expect(s.pulls).toBe(pulls);
  });

  it('cancels quietly when the body failed unread meanwhile', async () => {
    const body = new ReadableStream<Uint8Array>({ start: (controller) => controller.error(new TypeError('terminated')) });
    await expect(parseServerSentEvents(body).cancel('bye')).resolves.toBeUndefined();
  });

  it('cancels the body while a read is pending', async () => {
    let cancelled: unknown;
    const body = new ReadableStream<Uint8Array>({ cancel: (reason) => void (cancelled = reason) });
    const reader = parseServerSentEvents(body).getReader();
    const pending = reader.read();
    await reader.cancel('stop');
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(cancelled).toBe('stop');
  });
});

describe('any split of the bytes gives the same chunks', () => {
  const truncated = text('n2-interleaved.txt').slice(0, 1500);
  const transcripts: [string, Uint8Array][] = [
    ...['multibyte.txt', 'crlf.txt', 'parallel-tool-calls.txt', 'keep-alive.txt', 'missing-final-blank-line.txt', 'azure-content-filter.txt'].map(
      (name): [string, Uint8Array] => [name, fixture(name)],
    ),
    ['BOM, CR-only and CRLF', bytes('\ufeff' + text('multibyte.txt').replace(/\n\n/g, '\r\r').replace(/\n/g, '\r\n'))],
    ['multi-line data', bytes(`data: {"id":"é",\r\ndata: "choices":\rdata: [{"index":0,"delta":{},"finish_reason":"stop"}]}\r\n\r\n`)],
    ['cut mid-event', bytes(truncated)],
    ['error event', bytes(`${chunk('🎉')}event: error\r\ndata: {"message":"boom"}\r\n\r\n`)],
  ];

  for (const [name, all] of transcripts) {
    it(name, async () => {
      const expected = summary(await parse(all));
      await fc.assert(
        fc.asyncProperty(fc.array(fc.integer({ min: 1, max: all.length - 1 }), { maxLength: 60 }), async (cuts) => {
          expect(summary(await parse(split(all, cuts)))).toEqual(expected);
        }),
        { numRuns: 150 },
      );
    });
  }

  it('and any line endings: LF, CR or CRLF, chosen line by line', async () => {
    const lf = text('parallel-tool-calls.txt');
    const expected = summary(await parse(lf));
    const lines = lf.split('\n');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('\n', '\r', '\r\n'), { minLength: lines.length, maxLength: lines.length }),
        fc.array(fc.nat(), { maxLength: 30 }),
        async (ends, cuts) => {
          // A CR, then an empty line ended by LF, would read as one CRLF: that LF becomes a CR.
          const end = (i: number) => (ends[i] === '\n' && lines[i] === '' && ends[i - 1] === '\r' ? '\r' : ends[i]);
          const all = bytes(lines.map((line, i) => line + (i < lines.length - 1 ? end(i) : '')).join(''));
          expect(
            summary(
              await parse(
                split(
                  all,
                  cuts.map((cut) => cut % all.length),
                ),
              ),
            ),
          ).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('one large event', () => {
  const event = (size: number) => chunk('x'.repeat(size)) + chunk(null, 'stop') + DONE;

  /**
   * Characters the parser's string operations may look at or copy (`indexOf`, `slice`, `join`),
   * counted by wrapping them while the parser runs, synchronously: no other code runs meanwhile.
   */
  function work(transcript: string, pieceSize: number): number {
    const { indexOf, slice } = String.prototype;
    const { join } = Array.prototype;
    let count = 0;
    String.prototype.indexOf = function (this: string, search: string, from = 0) {
      const found = indexOf.call(this, search, from);
      count += (found === -1 ? this.length : found + 1) - Math.min(from, this.length);
      return found;
    };
    String.prototype.slice = function (this: string, start?: number, end?: number) {
      const result = slice.call(this, start, end);
      count += result.length;
      return result;
    };
    Array.prototype.join = function (this: unknown[], separator?: string) {
      const result = join.call(this, separator);
      count += result.length;
      return result;
    };
    try {
      const parser = createSSEParser({ onEvent() {}, onOverflow() {} });
      for (let start = 0; start < transcript.length; start += pieceSize) parser.feed(slice.call(transcript, start, start + pieceSize));
      parser.end();
    } finally {
      String.prototype.indexOf = indexOf;
      String.prototype.slice = slice;
      Array.prototype.join = join;
    }
    return count;
  }

  it('parses 4 MB arriving in 256-byte pieces, in linear time', async () => {
    const all = bytes(event(4 << 20));
    const pieces = piecesOf(all, 256);
    const started = performance.now();
    const { chunks, error } = await parse(pieces);
    const elapsed = performance.now() - started;
    console.log(`one 4 MB event in ${pieces.length} pieces of 256 bytes: ${elapsed.toFixed(0)} ms`);
    expect(error).toBeUndefined();
    expect(chunks[0].choices[0].delta.content).toHaveLength(4 << 20);

    // Deterministic: the work grows with the size, not with its square (~4x here, 16x if
    // quadratic), and stays a small multiple of the characters: two searches (CR, LF), one
    // join, one slice of the value, about 4 per character.
    const small = work(event(1 << 20), 256);
    const large = work(event(4 << 20), 256);
    expect(large / small).toBeLessThan(5);
    expect(large).toBeLessThan(6 * (4 << 20));
    expect(large).toBeGreaterThan(4 << 20);
  });
});

describe('a body that comes in one read', () => {
  // A recorded stream replayed as `new Response(text)`, or a proxy that buffers: every event in
  // one read. Each chunk a pull enqueues waits in the web stream's queue, and Node 20's queue
  // copies itself on every read out of it: the parse must go only as far as the reads do.
  const events = (count: number) => {
    const lines: string[] = [];
    // Multi-byte text and CRLF endings, so that pieces of the decoded text start and end anywhere.
    for (let i = 0; i < count; i++) lines.push(i % 3 ? chunk(`wörd ${i} 🦀 `) : chunk(`line ${i}`).replaceAll('\n', '\r\n'));
    return lines.join('') + chunk(null, 'stop') + DONE;
  };

  it('gives every chunk in order, as the same bytes in small pieces do', async () => {
    const all = bytes(events(3_000));
    const whole = await parse(all);
    expect(whole.error).toBeUndefined();
    expect(whole.chunks).toHaveLength(3_001);
    expect(summary(whole)).toEqual(summary(await parse(piecesOf(all, 4096))));
    expect(content(whole.chunks)).toContain('wörd 2999 🦀');
  });

  it('parses only as far as the chunks are read', async () => {
    const reader = parseServerSentEvents(source([bytes(events(20_000))]).body).getReader();
    const parse = vi.spyOn(JSON, 'parse');
    try {
      await reader.read();
      // A piece of the text (64 Ki characters) holds a few hundred events, not 20,000.
      expect(parse.mock.calls.length).toBeGreaterThan(0);
      expect(parse.mock.calls.length).toBeLessThan(1_000);
    } finally {
      parse.mockRestore();
    }
    await reader.cancel();
  });

  it('keeps an event whole across the end of a piece: a surrogate pair or a CRLF exactly there', async () => {
    const edge = 64 * 1024 - 1;
    // 🦀 (two UTF-16 units) starting at the last character of the first piece.
    const contentStart = chunk('').indexOf('""') + 1;
    const crab = chunk('x'.repeat(edge - contentStart) + '🦀') + chunk(null, 'stop') + DONE;
    expect(crab.codePointAt(edge)).toBe(0x1f980);
    // A line end CRLF whose CR is the last character of the first piece.
    const line = chunk('y'.repeat(edge - (chunk('').length - 2)));
    const crlf = line.slice(0, -2) + '\r\n\r\n' + chunk('after', 'stop') + DONE;
    expect(crlf.slice(edge, edge + 2)).toBe('\r\n');
    const crabbed = await parse(bytes(crab));
    expect(crabbed.error).toBeUndefined();
    expect(content(crabbed.chunks).endsWith('x🦀')).toBe(true);
    const split = await parse(bytes(crlf));
    expect(split.error).toBeUndefined();
    expect(split.chunks).toHaveLength(2);
    expect(content(split.chunks).endsWith('yafter')).toBe(true);
  });
});

describe('the signal option', () => {
  it('errors the stream at once on abort, without first handing out what the body already holds', async () => {
    const controller = new AbortController();
    const s = source([bytes(chunk('a') + chunk('b') + chunk('c'))]);
    const reader = parseServerSentEvents(s.body, { signal: controller.signal }).getReader();
    expect((await reader.read()).value!.choices[0].delta.content).toBe('a');
    controller.abort('user left');
    await expect(reader.read()).rejects.toBeInstanceOf(APIUserAbortError);
    expect(s.cancelled).toBe(true);
  });

  it('errors at once for a signal aborted before the stream starts, and reads nothing', async () => {
    const s = source([bytes(chunk('a', 'stop') + DONE)]);
    const { chunks, error } = await read(parseServerSentEvents(s.body, { signal: AbortSignal.abort() }));
    expect(chunks).toEqual([]);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(s.pulls).toBe(0);
  });
});

describe('usage mistakes', () => {
  const locked = () => {
    const body = source([bytes(DONE)]).body;
    body.getReader();
    return body;
  };
  const notStreams: [string, () => unknown, RegExp][] = [
    ['a locked stream', locked, /^parseServerSentEvents: the stream is locked, another reader is reading it/],
    ['null', () => null, /^parseServerSentEvents takes a ReadableStream of bytes \(a response body\), got null\.$/],
    ['undefined', () => undefined, /got undefined\.$/],
    ['an async iterable', () => (async function* () {})(), /got an async iterable that is no ReadableStream\.$/],
    ['a Response', () => new Response('data: [DONE]\n\n'), /got a Response \(pass its body\)\.$/],
  ];

  it.each(notStreams)('%s is an OpenAIError at once, and leaves no listener on the signal', (_, make, message) => {
    const controller = new AbortController();
    let thrown: unknown;
    try {
      parseServerSentEvents(make() as ReadableStream<Uint8Array>, { signal: controller.signal });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(OpenAIError);
    expect((thrown as Error).message).toMatch(message);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('refuses options that are not an object, and a signal that is not one, before reading', () => {
    const s = source([bytes(DONE)]);
    expect(() => parseServerSentEvents(s.body, null as never)).toThrow(new OpenAIError('parseServerSentEvents: options must be an object, got null.'));
    expect(() => parseServerSentEvents(s.body, { signal: 'stop' as never })).toThrow(/^signal must be an AbortSignal/);
    expect(s.body.locked).toBe(false);
  });
});

describe('a failed stream leaves nothing on the caller signal', () => {
  const cases: [string, () => Source][] = [
    ['an event that is not JSON', () => source([bytes(chunk('a') + 'data: {oops\n\n')])],
    ['a body that fails', () => source([bytes(chunk('a'))], { pieces: 1, error: new TypeError('socket hang up') })],
    ['a body cut before the answer finished', () => source([bytes(chunk('a'))])],
    ['an error event', () => source([bytes(chunk('a') + 'event: error\ndata: {"error":{"message":"boom"}}\n\n')])],
  ];

  it.each(cases)('%s', async (_, make) => {
    const controller = new AbortController();
    const { error } = await read(parseServerSentEvents(make().body, { signal: controller.signal }));
    expect(error).toBeInstanceOf(OpenAIError);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    // The signal's abort now reaches nothing of the stream.
    controller.abort();
  });

  it('nor does a stream the consumer cancels, or one that ends', async () => {
    const controller = new AbortController();
    const cancelled = parseServerSentEvents(source([bytes(chunk('a'))]).body, { signal: controller.signal });
    await cancelled.cancel('gone');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    const { error } = await read(parseServerSentEvents(source([bytes(chunk('a', 'stop') + DONE)]).body, { signal: controller.signal }));
    expect(error).toBeUndefined();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
