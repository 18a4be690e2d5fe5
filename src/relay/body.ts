import { noop } from '../own.js';
import { Refusal, badRequest } from './refusal.js';

const JSON_TYPE = /^application\/json\s*(;|$)/i;
const utf8 = new TextDecoder();

/**
 * The page's body as text, read as a stream and stopped at `maxBytes`: a body over the cap, or
 * one that never ends, is cancelled there (413) and never held whole; a `content-length` over
 * the cap is refused before a byte is read. Only JSON is read: any other content type (415) is
 * refused, which also makes every cross-origin POST from a browser a CORS preflight first.
 */
export async function readJSONBody(request: Request, maxBytes: number): Promise<Record<string, unknown>> {
  if (!JSON_TYPE.test(request.headers.get('content-type') ?? '')) {
    throw new Refusal(415, "The relay reads JSON only: send the body with 'content-type: application/json'.", 'unsupported_media_type');
  }
  if (Number(request.headers.get('content-length')) > maxBytes) throw tooLarge(maxBytes);
  const { bytes, whole } = await readUpTo(request.body, maxBytes).catch(unreadable);
  if (!whole) throw tooLarge(maxBytes);
  return parseJSON(utf8.decode(bytes));
}

/**
 * A body's bytes, up to `maxBytes`: a body longer than that is cancelled there, never held
 * whole, and `whole` is false. A body that fails to arrive rejects.
 */
export async function readUpTo(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<{ bytes: Uint8Array; whole: boolean }> {
  const parts: Uint8Array[] = [];
  let size = 0;
  const reader = body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      reader.cancel().catch(noop);
      return { bytes: join(parts, size - value.byteLength), whole: false };
    }
    parts.push(value);
  }
  return { bytes: join(parts, size), whole: true };
}

function tooLarge(maxBytes: number): Refusal {
  return new Refusal(413, `The request body is larger than this relay's limit of ${maxBytes} bytes.`, 'request_too_large');
}

function unreadable(): never {
  throw badRequest('The request body could not be read to its end.', null, 'invalid_body');
}

/** The pieces as one array of `size` bytes, copied once (a single piece is itself). */
export function join(parts: Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  return bytes;
}

/** A spelling of `__proto__` or an escape that could make one: only such bodies pay for the reviver. */
const MAYBE_PROTO = /__proto__|\\u/;

/**
 * The body as a JSON object. A `__proto__` key anywhere is refused: it is no property of the
 * API, and a body that holds one is probing for code that merges objects.
 */
function parseJSON(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = MAYBE_PROTO.test(text) ? JSON.parse(text, refuseProto) : JSON.parse(text);
  } catch (error) {
    if (error instanceof Refusal) throw error;
    throw badRequest('The request body is not valid JSON.', null, 'invalid_json');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw badRequest('The request body must be a JSON object.', null, 'invalid_json');
  return value as Record<string, unknown>;
}

function refuseProto(key: string, value: unknown): unknown {
  if (key === '__proto__') throw badRequest("The request body holds a '__proto__' key, which no request of the API has.", '__proto__', 'invalid_json');
  return value;
}
