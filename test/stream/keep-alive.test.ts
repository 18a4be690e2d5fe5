import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createChatCompletion, functionTool, runTools } from '../../src/index.js';

const chunk = (content: string | null, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: content === null ? {} : { content }, finish_reason: finish }] })}\n\n`;
const DONE = 'data: [DONE]\n\n';
const ask = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }], stream: true as const };
/** The model's pace between the first chunk and the last, and the gap between [DONE] and the body's end. */
const PACE_MS = 10;
const END_AFTER_DONE_MS = 5;

interface Answering {
  baseURL: string;
  /** TCP connections the server accepted. */
  connections(): number;
  /** Each response: whether the server wrote all of it, once its connection is done with it. */
  responses: { closed: boolean; finished: boolean }[];
}

const servers: (() => void)[] = [];
afterEach(() => {
  for (const close of servers.splice(0)) close();
});

/** Real HTTP on 127.0.0.1, answering every request with `answer(res, body)` after a 200 with SSE headers. */
async function listen(answer: (res: ServerResponse, body: any) => void): Promise<Answering> {
  let connections = 0;
  const responses: Answering['responses'] = [];
  const server = createServer((req, res) => {
    const record = { closed: false, finished: false };
    responses.push(record);
    res.on('finish', () => (record.finished = true));
    res.on('close', () => (record.closed = true));
    let text = '';
    req.on('data', (data: Buffer) => (text += data));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      answer(res, JSON.parse(text || '{}'));
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return { baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, connections: () => connections, responses };
}

/** A short answer at a model's pace, its body's end in a write of its own a moment after [DONE]. */
function paced(res: ServerResponse): void {
  res.write(chunk('Hello'));
  setTimeout(() => {
    res.write(chunk('!', 'stop') + DONE);
    setTimeout(() => res.end(), END_AFTER_DONE_MS);
  }, PACE_MS);
}

async function readAll(baseURL: string, signal?: AbortSignal): Promise<string> {
  let text = '';
  for await (const c of await createChatCompletion(ask, { baseURL, apiKey: 'k', maxRetries: 0, signal })) text += c.choices[0]?.delta.content ?? '';
  return text;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('keep-alive after [DONE]', () => {
  it('uses as many connections for 20 back-to-back streams as a bare fetch loop reading to the end', async () => {
    const bare = await listen(paced);
    for (let i = 0; i < 20; i++) {
      const response = await fetch(`${bare.baseURL}/chat/completions`, { method: 'POST', body: JSON.stringify(ask) });
      const reader = response.body!.getReader();
      while (!(await reader.read()).done);
    }
    const sdk = await listen(paced);
    for (let i = 0; i < 20; i++) expect(await readAll(sdk.baseURL)).toBe('Hello!');
    // As many as the bare loop: the consumer is released at [DONE], a few ms before the drain
    // ends, so on a loaded machine the next request may start first and open one more.
    expect(sdk.connections()).toBeLessThanOrEqual(bare.connections() + 1);
    // Reused, not merely many: a connection per stream is what cancelling at [DONE] costs.
    expect(sdk.connections()).toBeLessThan(5);
  });

  it('keeps the connection from step to step of a streaming tool loop', async () => {
    const STEPS = 20;
    const bare = await listen(paced);
    for (let i = 0; i < STEPS; i++) {
      const response = await fetch(`${bare.baseURL}/chat/completions`, { method: 'POST', body: JSON.stringify(ask) });
      const reader = response.body!.getReader();
      while (!(await reader.read()).done);
    }
    // Each step's answer at the same pace: a tool call until the last step, then the text.
    const server = await listen((res, body) => {
      const step = body.messages.filter((message: { role: string }) => message.role === 'tool').length;
      if (step === STEPS - 1) return paced(res);
      const call = { index: 0, id: `call_${step}`, type: 'function', function: { name: 'next', arguments: '{}' } };
      const toolChunk = (delta: object, finish: string | null) =>
        `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      res.write(toolChunk({ role: 'assistant', tool_calls: [call] }, null));
      setTimeout(() => {
        res.write(toolChunk({}, 'tool_calls') + DONE);
        setTimeout(() => res.end(), END_AFTER_DONE_MS);
      }, PACE_MS);
    });
    const next = functionTool({ name: 'next', parameters: { type: 'object', properties: {}, additionalProperties: false }, execute: () => 'ok' });
    const events = runTools({ ...ask, tools: [next], stream: true }, { baseURL: server.baseURL, apiKey: 'k', maxRetries: 0, maxSteps: STEPS });
    let steps = 0;
    for await (const event of events) if (event.type === 'step.done') steps++;
    expect(steps).toBe(STEPS);
    expect(server.connections()).toBeLessThanOrEqual(bare.connections() + 1);
  });

  it('ends the chunks at [DONE], before the body ends', async () => {
    let end = () => {};
    const server = await listen((res) => {
      res.write(chunk('a', 'stop') + DONE);
      end = () => res.end();
    });
    expect(await readAll(server.baseURL)).toBe('a');
    expect(server.responses[0].closed).toBe(false);
    end();
    await vi.waitFor(() => expect(server.responses[0].finished).toBe(true));
  });

  it('cancels a body that does not end after [DONE], after a bound of about a second', async () => {
    const server = await listen((res) => res.write(chunk('a', 'stop') + DONE));
    expect(await readAll(server.baseURL)).toBe('a');
    // Still waiting for the end half a second later: the bound is a second, and load only delays it.
    await sleep(500);
    expect(server.responses[0].closed).toBe(false);
    await vi.waitFor(() => expect(server.responses[0].closed).toBe(true), { timeout: 10_000, interval: 50 });
    expect(server.responses[0].finished).toBe(false);
  });

  it('cancels a body that goes on past 64 KiB after [DONE], before the server can write it all', async () => {
    const comment = `: ${'x'.repeat(1022)}\n\n`;
    const server = await listen((res) => {
      res.write(chunk('a', 'stop') + DONE);
      // 16 MiB of comments: more than every socket buffer on the way holds, so that only a
      // client that reads them all lets the server finish.
      let left = 16 * 1024;
      const write = (): void => {
        while (left > 0) {
          left--;
          if (!res.write(comment)) {
            res.once('drain', write);
            return;
          }
        }
        res.end();
      };
      write();
    });
    expect(await readAll(server.baseURL)).toBe('a');
    await vi.waitFor(() => expect(server.responses[0].closed).toBe(true), { timeout: 10_000, interval: 50 });
    expect(server.responses[0].finished).toBe(false);
  });

  it('still cancels the body at once when the consumer leaves mid-stream', async () => {
    const server = await listen((res) => res.write(chunk('a')));
    const reader = (await createChatCompletion(ask, { baseURL: server.baseURL, apiKey: 'k', maxRetries: 0 })).getReader();
    expect((await reader.read()).value!.choices[0].delta.content).toBe('a');
    await reader.cancel();
    // Within the drain's bound: a cancel is not a drain.
    await vi.waitFor(() => expect(server.responses[0].closed).toBe(true), { timeout: 900, interval: 10 });
    expect(server.responses[0].finished).toBe(false);
  });

  it('leaves no listener on the caller signal once the drain is over', async () => {
    const server = await listen(paced);
    const controller = new AbortController();
    for (let i = 0; i < 5; i++) expect(await readAll(server.baseURL, controller.signal)).toBe('Hello!');
    await vi.waitFor(() => expect(server.responses.every((r) => r.finished)).toBe(true));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    // Aborting now, with every stream over, reaches nothing and breaks nothing.
    controller.abort();
    expect(await readAll(server.baseURL)).toBe('Hello!');
  });
});
