/**
 * Removes every occurrence of the API key from a string, or from the strings (keys included)
 * inside parsed JSON, so that a server echoing the key back cannot leak it into an error or a
 * log. JSON is masked as its text: `JSON.stringify` writes the key's characters as the key
 * itself (escaped the way the key is here), whatever escapes the server spelled it with.
 */
export function redact<T>(value: T, secret: string | undefined): T {
  return !secret
    ? value
    : typeof value == 'string'
      ? (value.split(secret).join('[REDACTED]') as T)
      : value && typeof value == 'object'
        ? JSON.parse(redact(JSON.stringify(value), JSON.stringify(secret).slice(1, -1)))
        : value;
}
