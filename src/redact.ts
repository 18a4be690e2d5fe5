const MASK = '[REDACTED]';

/**
 * Removes every occurrence of the API key from a string, or from the strings inside parsed
 * JSON, so that a server echoing the key back cannot leak it into an error or a log.
 */
export function redact<T>(value: T, secret: string | undefined): T {
  if (!secret) return value;
  if (typeof value === 'string') return value.split(secret).join(MASK) as T;
  if (Array.isArray(value)) return value.map((item) => redact(item, secret)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[redact(key, secret)] = redact(item, secret);
    return out as T;
  }
  return value;
}
