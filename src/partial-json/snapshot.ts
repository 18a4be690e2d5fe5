import { arrayView } from './array-view.js';
import { define } from './frame.js';
import type { Frame } from './frame.js';

/**
 * From this many members on, an open array in a snapshot is a view of the parser's list, not a
 * copy (see `arrayView`): a copy per piece would make a growing list quadratic. Shorter ones are
 * plain arrays: copying them costs less than a view, and they are all most answers hold.
 */
export const VIEW_FROM = 256;

/** The value after one piece of text, built when `value` is first read (see `pushLazy`). */
export interface PartialJSONSnapshot {
  /** The value so far, as `push` would have returned it; the same object on every read. */
  readonly value: unknown;
}

/** One captured moment (see `build`); a class, so that capturing one allocates no closure. */
export class Moment implements PartialJSONSnapshot {
  #frame: Frame | undefined;
  #length: number;
  #key: string;
  #partial: unknown;
  #built = false;
  #value: unknown;

  constructor(frame: Frame | undefined, length: number, key: string, partial: unknown) {
    this.#frame = frame;
    this.#length = length;
    this.#key = key;
    this.#partial = partial;
  }

  get value(): unknown {
    if (this.#built) return this.#value;
    this.#value = build(this.#frame, this.#length, this.#key, this.#partial);
    this.#built = true;
    // What it was built from may now be collected.
    this.#frame = undefined;
    this.#partial = undefined;
    return this.#value;
  }
}

/**
 * The value at a captured moment: `frame` held `length` members and read `key` (for an
 * object), `partial` was the value being read in it. Each open container from there to the
 * root is copied shallowly (completed members are shared), or viewed when it is an array of
 * VIEW_FROM members or more; each holds the one above it. No recursion: the loop climbs the
 * parent links.
 */
function build(frame: Frame | undefined, length: number, key: string, partial: unknown): unknown {
  let value = partial;
  for (let at = frame; at; at = at.parent) {
    value = copy(at, length, key, value);
    length = at.parentLength;
    key = at.parentKey;
  }
  return value;
}

/** A container's first `length` members, and `child` (if shown) at `key` or at the end. */
function copy(frame: Frame, length: number, key: string, child: unknown): unknown {
  if (frame.isArray) {
    if (length >= VIEW_FROM) return arrayView(frame.items, length, child);
    const items = frame.items.slice(0, length);
    if (child !== undefined) items.push(child);
    return items;
  }
  const members = length === frame.items.length ? { ...frame.object } : rebuild(frame, length);
  if (child !== undefined) define(members, key, child);
  return members;
}

/**
 * An object as it was with its first `length` members, for a snapshot built after more arrived.
 * (Spreading the object, the usual path, defines own data properties as JSON.parse does: an
 * own `__proto__` stays one.)
 */
function rebuild(frame: Frame, length: number): Record<string, unknown> {
  const members: Record<string, unknown> = {};
  for (let i = 0; i < length; i++) define(members, frame.keys[i]!, frame.items[i]);
  return members;
}
