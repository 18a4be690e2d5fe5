export type HeaderRecord = Record<string, string | null | undefined>;

/**
 * Merges header records left to right with names compared case-insensitively (HTTP header
 * names are), so `authorization` given by a user replaces the default `Authorization`.
 * A `null` removes what came before; `undefined` leaves it.
 */
export function mergeHeaders(...layers: (HeaderRecord | undefined)[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const layer of layers) {
    for (const name in layer) {
      const value = layer[name];
      if (value !== undefined) out[name.toLowerCase()] = value;
    }
  }
  return out;
}

/** The headers a request is sent with: the merged record less the removed names. */
export function finalHeaders(merged: Record<string, string | null>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in merged) {
    const value = merged[name];
    if (value !== null) out[name] = value;
  }
  return out;
}
