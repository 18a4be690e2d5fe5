import { RUN, holdsEscape, maskValue, mayHold } from '../redact.js';
import type { Secrets } from '../redact.js';

/** What a Screen says of the events to come: those of the read being parsed, the next one, or none may hold a secret. */
const SUSPECT_READ = 2;
const SUSPECT_NEXT = 1;
/** How many bytes a probe reads: a word. */
const WORD = 4;
/** A probe's table has 2^TABLE_BITS entries: few enough of them hold a secret's bytes that a probe of plain text rarely looks twice. */
const TABLE_BITS = 14;
const LF = 10;
const CR = 13;

/**
 * What a read's bytes are probed for: every four bytes of the secrets' UTF-8, as a word, and a
 * table of their hashes that tells at once that a probe holds none.
 */
interface Probes {
  readonly marked: Uint8Array;
  readonly grams: ReadonlySet<number>;
  /** Words from one probe to the next: the shortest piece of a secret holds that many whole words in a row, so one probed word. */
  readonly stride: number;
}

/** Made once for each set of secrets (`secretsFor` keeps them), not for each stream. */
const made = new WeakMap<Secrets, Probes>();

/**
 * Screens the reads of an event stream for secrets, so that only the events of a read that may
 * hold one are searched: one pass over a read, not a search per event. The pass probes the read's
 * bytes every few bytes, so it costs as little for a project key as for a short one,
 * where a search for each of a long key's pieces would cost more with every character.
 */
export class Screen {
  /** SUSPECT_READ, SUSPECT_NEXT, or 0: whether the next events must be searched. */
  suspect = 0;
  /** The end of what was read, where the start of a piece may wait for the next read. */
  #tail = '';
  readonly #probes: Probes;

  constructor(readonly secrets: Secrets) {
    let probes = made.get(secrets);
    if (!probes) {
      probes = probesFor(secrets);
      made.set(secrets, probes);
    }
    this.#probes = probes;
  }

  /**
   * A read arrived, as bytes and as the text they decoded to: may it hold a secret or a piece of
   * one? A piece within its bytes meets a probe; one that no read's bytes hold whole is near the
   * read's start, in the text around it.
   */
  read(bytes: AllowSharedBufferSource, text: string): void {
    // A piece or an escape that no read holds whole spans at most RUN characters on either side of the read's start.
    const across = this.#tail && this.#tail + text.slice(0, RUN);
    if (
      probe(ArrayBuffer.isView(bytes) ? bytes : new Uint8Array(bytes), this.#probes) ||
      holdsEscape(text, this.secrets) ||
      (across && mayHold(across, this.secrets))
    )
      this.suspect = SUSPECT_READ;
    // No piece spans two events: a read that ends with a blank line leaves nothing to continue.
    if (endsEvent(text)) this.#tail = '';
    else this.#tail = text.length >= RUN ? text.slice(-RUN) : (this.#tail + text).slice(-RUN);
  }

  /** The read is parsed: an event still open may have begun in it, and is the next one dispatched. */
  parsed(): void {
    if (this.suspect === SUSPECT_READ) this.suspect = SUSPECT_NEXT;
  }

  /** An event's parsed value, masked if its text holds a secret. */
  masked<T>(value: T, data: string): T {
    if (this.suspect === SUSPECT_NEXT) this.suspect = 0;
    return mayHold(data, this.secrets) ? maskValue(value, this.secrets) : value;
  }
}

function probesFor(secrets: Secrets): Probes {
  const encoder = new TextEncoder();
  const marked = new Uint8Array(1 << TABLE_BITS);
  const grams = new Set<number>();
  // Four bytes as a word, in the order an Int32Array of this platform reads them.
  const word = new Uint8Array(WORD);
  const asWord = new Int32Array(word.buffer);
  let shortest = RUN;
  for (const piece of secrets.pieces) {
    shortest = Math.min(shortest, piece.length);
    const bytes = encoder.encode(piece);
    for (let at = 0; at + WORD <= bytes.length; at++) {
      word.set(bytes.subarray(at, at + WORD));
      grams.add(asWord[0]!);
      marked[hashOf(asWord[0]!)] = 1;
    }
  }
  // A piece of n characters spans n bytes or more, so it holds at least floor((n - 3) / 4) whole aligned words in a row.
  return { marked, grams, stride: Math.floor((shortest - WORD + 1) / WORD) };
}

/**
 * Whether a probe of every `stride`-th word of the read finds four bytes of a secret's piece.
 * The words are the read's whole 4-byte words where its buffer aligns them: one load each.
 */
function probe(bytes: ArrayBufferView, { marked, grams, stride }: Probes): boolean {
  const skip = (WORD - (bytes.byteOffset % WORD)) % WORD;
  const count = Math.floor((bytes.byteLength - skip) / WORD);
  // A read with no whole word may end where its buffer ends, before the next aligned place.
  if (count <= 0) return false;
  // Signed words: V8 keeps an int32 as it is through the hash, where an unsigned word past 2^31
  // becomes a double, slower to hash and to look up.
  const words = new Int32Array(bytes.buffer, bytes.byteOffset + skip, count);
  for (let at = 0; at < count; at += stride) {
    const gram = words[at]!;
    if (marked[hashOf(gram)] && grams.has(gram)) return true;
  }
  return false;
}

/** Where a word is marked in a probe's table: a multiplicative hash, its top bits. */
function hashOf(gram: number): number {
  return Math.imul(gram, 0x9e3779b1) >>> (32 - TABLE_BITS);
}

/** Whether `text` ends with a blank line (LF LF, or CR LF CR LF), which ends an event. */
function endsEvent(text: string): boolean {
  const end = text.length;
  if (text.charCodeAt(end - 1) !== LF) return false;
  return text.charCodeAt(end - 2) === LF || (text.charCodeAt(end - 2) === CR && text.charCodeAt(end - 3) === LF);
}
