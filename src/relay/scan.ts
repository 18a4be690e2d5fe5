import type { Secrets } from '../redact.js';

/**
 * Byte searches for the relayed stream, so that a read is decoded only when it may hold what the
 * relay looks for (usage, an error, the key). A needle is looked for natively (`indexOf`) in the
 * read seen as 16-bit units, by the pair its first bytes make at an even offset and the pair at
 * an odd one; only a unit that matches is checked byte by byte. Pairs of bytes are far rarer in
 * an API's JSON than single bytes, so few are checked; and nothing is decoded or allocated.
 */

const encoder = new TextEncoder();

/** What to look for, and the two units that find it (for a needle of three bytes or more). */
export interface Needle {
  readonly bytes: Uint8Array;
  /** Its first two bytes as one unit: what a unit holds where the needle starts at an even offset. */
  readonly even: number;
  /** Its second and third bytes as one unit: where it starts at an odd offset. */
  readonly odd: number;
}

export function needleOf(text: string): Needle {
  const bytes = encoder.encode(text);
  // As the platform orders a unit's bytes, whichever way that is.
  const [even = 0, odd = 0] = bytes.length < 3 ? [] : new Uint16Array(Uint8Array.of(bytes[0]!, bytes[1]!, bytes[1]!, bytes[2]!).buffer);
  return { bytes, even, odd };
}

/** Whether `bytes` holds `needle` at an offset where `follows(its end)` holds too. */
export function holds(bytes: Uint8Array, needle: Needle, follows: (end: number) => boolean = always): boolean {
  const found = (at: number) => at >= 0 && startsAt(bytes, needle.bytes, at) && follows(at + needle.bytes.length);
  // A needle of one or two bytes (an escape such as `\/`) is found by its first byte.
  if (needle.bytes.length < 3) {
    for (let at = bytes.indexOf(needle.bytes[0]!); at >= 0; at = bytes.indexOf(needle.bytes[0]!, at + 1)) if (found(at)) return true;
    return false;
  }
  // The units start at an even address: one byte before `bytes` when it starts at an odd one.
  const shift = bytes.byteOffset & 1;
  const units = new Uint16Array(bytes.buffer, bytes.byteOffset - shift, (bytes.length + shift) >> 1);
  for (let unit = units.indexOf(needle.even); unit >= 0; unit = units.indexOf(needle.even, unit + 1)) if (found(2 * unit - shift)) return true;
  for (let unit = units.indexOf(needle.odd); unit >= 0; unit = units.indexOf(needle.odd, unit + 1)) if (found(2 * unit - shift - 1)) return true;
  return false;
}

function always(): boolean {
  return true;
}

function startsAt(bytes: Uint8Array, needle: Uint8Array, at: number): boolean {
  if (at + needle.length > bytes.length) return false;
  for (let i = 0; i < needle.length; i++) if (bytes[at + i] !== needle[i]) return false;
  return true;
}

/** The needles of what `mayHold` (src/redact.ts) looks for in a text: each anchor of the keys, and each escape that could spell one. */
const made = new WeakMap<Secrets, Needle[]>();

export function secretNeedles(secrets: Secrets): Needle[] {
  let needles = made.get(secrets);
  if (!needles) {
    needles = [...secrets.anchors, ...secrets.escapes].map(needleOf);
    made.set(secrets, needles);
  }
  return needles;
}
