import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { beforeEach, describe, expect, it } from 'vitest';
import { tracedChatCompletion, tracedChatCompletionStream } from '../examples/opentelemetry.js';
import { useLocalAPI } from './server/setup.js';
import { caught, valuesOf } from './helpers/streams.js';

// The tracing recipe of examples/, with the OpenTelemetry SDK's in-memory exporter, over HTTP.
const { api, requestOptions } = useLocalAPI();
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer = provider.getTracer('openai-chat-fetch-test');
beforeEach(() => exporter.reset());
const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'trace me' }] };

describe('the OpenTelemetry recipe', () => {
  it('makes one client span in the GenAI conventions, with token usage and every attempt', async () => {
    api.faults.push({ status: 503, headers: { 'retry-after-ms': '1' } });
    const completion = await tracedChatCompletion(tracer, { ...body, temperature: 0.2 }, requestOptions({ maxRetries: 1 }));
    const [span] = exporter.getFinishedSpans();
    expect(exporter.getFinishedSpans()).toHaveLength(1);
    expect(span!.name).toBe('chat gpt-4o-mini');
    expect(span!.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.request.temperature': 0.2,
      'gen_ai.response.id': completion.id,
      'gen_ai.response.model': completion.model,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': completion.usage!.prompt_tokens,
      'gen_ai.usage.output_tokens': completion.usage!.completion_tokens,
    });
    expect(span!.events.map((event) => event.attributes!['http.response.status_code'])).toEqual([503, 200]);
  });

  it('ends the span of a stream when the stream ends, with its usage', async () => {
    const stream = await tracedChatCompletionStream(tracer, { ...body, stream: true, stream_options: { include_usage: true } }, requestOptions());
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    const chunks = await valuesOf(stream);
    expect(chunks.length).toBeGreaterThan(1);
    await expect.poll(() => exporter.getFinishedSpans().length).toBe(1);
    const [span] = exporter.getFinishedSpans();
    expect(span!.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
    expect(span!.attributes['gen_ai.response.id']).toBe(chunks[0]!.id);
  });

  it('records a failure as an error span', async () => {
    api.faults.push({ status: 400 });
    const error = await caught(tracedChatCompletion(tracer, body, requestOptions()));
    const [span] = exporter.getFinishedSpans();
    expect(span!.status.code).toBe(2);
    expect(span!.attributes['error.type']).toBe(error.name);
  });
});
