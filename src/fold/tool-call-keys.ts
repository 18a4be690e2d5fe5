import { own } from '../own.js';
/**
 * Tells which tool call of a message each streamed piece belongs to. A piece with an `index`
 * belongs to the call at that index. Mistral sends none: then its `id` tells (the call with that
 * id, or a new call for a new id), and a piece without either continues the call before it. Two
 * whole calls in one chunk without `index` so stay two calls, as their ids say.
 */
export interface ToolCallKeys {
  /** The key of `piece`'s call: its `index`, or an object standing for a call that has none. */
  keyOf(piece: Record<string, unknown>): unknown;
}

/** Keys for the tool calls of one message (one choice). */
export function createToolCallKeys(): ToolCallKeys {
  const byId = new Map<string, unknown>();
  /** Calls whose id has arrived: a piece with a new id starts a new call after one of them. */
  const named = new Set<unknown>();
  let last: { key: unknown } | undefined;

  function pick(piece: Record<string, unknown>, id: string | undefined): unknown {
    const index = own(piece, 'index');
    if (index !== undefined) return index;
    if (id !== undefined && byId.has(id)) return byId.get(id);
    // A new id names a new call, unless the call before it has none yet (its id came late).
    if (id !== undefined && last !== undefined && named.has(last.key)) return {};
    return last === undefined ? {} : last.key;
  }

  return {
    keyOf(piece) {
      const given = own(piece, 'id');
      const id = typeof given === 'string' && given !== '' ? given : undefined;
      const key = pick(piece, id);
      if (id !== undefined && !named.has(key)) {
        named.add(key);
        if (!byId.has(id)) byId.set(id, key);
      }
      last = { key };
      return key;
    },
  };
}
