/** A thrown value as text, whatever it is: an `Object.create(null)` has no `toString` for `String()` to call. */
export function describeThrown(thrown: unknown): string {
  const said: unknown = thrown instanceof Error ? thrown.message : thrown;
  if (typeof said === 'string') return said;
  try {
    return String(said);
  } catch {
    return Object.prototype.toString.call(said);
  }
}
