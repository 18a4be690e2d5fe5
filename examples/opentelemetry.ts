// An OpenTelemetry recipe: one client span per chat call, in the GenAI semantic conventions
// (https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-spans/), with token usage set
// when the answer is complete, for streams too. The SDK itself has no dependency on
// OpenTelemetry: the recipe uses its `onResponse` hook, `getResponseMeta` and the stream as
// it is. Copy it into your app; `@opentelemetry/api` is yours to install.
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Span, Tracer } from '@opentelemetry/api';
import { accumulateChatCompletion, createChatCompletion } from 'openai-chat-fetch';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionChunkStream,
  RequestOptions,
} from 'openai-chat-fetch';

/** Attributes known before the call: what was asked of which model. */
function startSpan(tracer: Tracer, body: { model: string; max_completion_tokens?: number | null; temperature?: number | null }): Span {
  return tracer.startSpan(`chat ${body.model}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': body.model,
      ...(typeof body.max_completion_tokens === 'number' && { 'gen_ai.request.max_tokens': body.max_completion_tokens }),
      ...(typeof body.temperature === 'number' && { 'gen_ai.request.temperature': body.temperature }),
    },
  });
}

/** Every attempt's HTTP outcome, retries included, through the SDK's own hook. */
function withAttempts(span: Span, options: RequestOptions): RequestOptions {
  return {
    ...options,
    onResponse: (info) => {
      span.addEvent('http.attempt', {
        'http.response.status_code': info.status,
        'gen_ai.openai.request.id': info.requestId ?? '',
        attempt: info.attempt,
        elapsed_ms: info.elapsedMs,
      });
      options.onResponse?.(info);
    },
  };
}

/** Attributes known once the answer is complete. */
function endSpan(span: Span, completion: ChatCompletion): void {
  span.setAttributes({
    'gen_ai.response.id': completion.id,
    'gen_ai.response.model': completion.model,
    'gen_ai.response.finish_reasons': completion.choices.map((choice) => choice.finish_reason ?? ''),
    ...(completion.usage && { 'gen_ai.usage.input_tokens': completion.usage.prompt_tokens, 'gen_ai.usage.output_tokens': completion.usage.completion_tokens }),
  });
  span.end();
}

function failSpan(span: Span, error: unknown): void {
  span.recordException(error as Error);
  span.setAttribute('error.type', (error as Error)?.name ?? 'Error');
  span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
  span.end();
}

/** `createChatCompletion`, traced: the span ends with the answer. */
export async function tracedChatCompletion(
  tracer: Tracer,
  body: ChatCompletionCreateParamsNonStreaming,
  options: RequestOptions = {},
): Promise<ChatCompletion> {
  const span = startSpan(tracer, body);
  try {
    const completion = await createChatCompletion(body, withAttempts(span, options));
    endSpan(span, completion);
    return completion;
  } catch (error) {
    failSpan(span, error);
    throw error;
  }
}

/**
 * A traced stream: the chunks pass through untouched and unbuffered; a fold of a copy sets the
 * usage and ends the span when the stream ends (ask for `stream_options: { include_usage: true }`
 * to get token counts), and a failure or an early cancel ends it as an error.
 */
export async function tracedChatCompletionStream(
  tracer: Tracer,
  body: ChatCompletionCreateParamsStreaming,
  options: RequestOptions = {},
): Promise<ReadableStream<ChatCompletionChunk>> {
  const span = startSpan(tracer, body);
  let stream: ChatCompletionChunkStream;
  try {
    stream = await createChatCompletion(body, withAttempts(span, options));
  } catch (error) {
    failSpan(span, error);
    throw error;
  }
  const [forYou, forSpan] = stream.tee();
  accumulateChatCompletion(forSpan).then(
    (completion) => endSpan(span, completion),
    (error: unknown) => failSpan(span, error),
  );
  return forYou;
}
