import { inspect, isDeepStrictEqual, types } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPartialJSONParser } from '../../src/partial-json/parser.js';
import { VIEW_FROM } from '../../src/partial-json/snapshot.js';

// A snapshot shows an open array of VIEW_FROM members or more as a view of the parser's own list
// (a copy per piece would make a growing list quadratic). These tests hold it to what a copy
// would be: the same members, never changing, and a plain array for whoever writes to it.

function deepCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(deepCopy);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, deepCopy(member)]));
}

/** `text` in pieces of `size` characters. */
const inPieces = (text: string, size: number) => Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));

/** Whether `partial` may be shown of `final` before the text ends (as in parser.test.ts). */
function isPartialOf(partial: unknown, final: unknown): boolean {
  if (partial === undefined) return true;
  if (typeof partial === 'string') return typeof final === 'string' && final.startsWith(partial);
  if (Array.isArray(partial)) {
    if (!Array.isArray(final) || partial.length > final.length) return false;
    const last = partial.length - 1;
    return partial.every((item, i) => (i === last ? isPartialOf(item, final[i]) : isDeepStrictEqual(item, final[i])));
  }
  if (typeof partial === 'object' && partial !== null) {
    if (typeof final !== 'object' || final === null || Array.isArray(final)) return false;
    const differing = Object.keys(partial).filter((key) => !isDeepStrictEqual((partial as any)[key], (final as any)[key]));
    return (
      Object.keys(partial).every((key) => Object.hasOwn(final, key)) &&
      differing.length <= 1 &&
      differing.every((key) => isPartialOf((partial as any)[key], (final as any)[key]))
    );
  }
  return isDeepStrictEqual(partial, final);
}

const small = fc.oneof(
  fc.integer(),
  fc.string({ maxLength: 6 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
);
/** Documents with arrays long enough to be viewed, at the top and in an object. */
const documents = fc.oneof(
  fc.array(small, { minLength: VIEW_FROM + 50, maxLength: VIEW_FROM + 150 }),
  fc.record({ title: fc.string({ maxLength: 8 }), items: fc.array(small, { minLength: VIEW_FROM + 50, maxLength: VIEW_FROM + 150 }) }),
);
/** Long arrays inside a long array: a view inside a view (the last pieces end inside both, each long enough to be viewed). */
const nested = fc.array(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: VIEW_FROM + 30, maxLength: VIEW_FROM + 35 }), {
  minLength: VIEW_FROM + 2,
  maxLength: VIEW_FROM + 4,
});

/**
 * Feeds `value` in pieces of `size` and checks the snapshots at `picks` (spot checks: checking
 * every snapshot of a long list is quadratic) against the final value, the snapshot before, and
 * a copy taken when each was handed out.
 */
function expectSnapshotsHold(value: unknown, size: number, picks: number[]): void {
  const pieces = inPieces(JSON.stringify(value), size);
  // The last pieces too: where a list is longest, and a view inside a view is open.
  const chosen = new Set([...picks.map((pick) => pick % pieces.length), pieces.length - 2, pieces.length - 3]);
  const parser = createPartialJSONParser();
  const taken: { at: number; snapshot: unknown; copy: unknown; previous: unknown }[] = [];
  let previous: unknown;
  pieces.forEach((piece, at) => {
    const snapshot = parser.push(piece);
    if (chosen.has(at)) taken.push({ at, snapshot, copy: deepCopy(snapshot), previous });
    if (chosen.has(at) && holdsView(snapshot)) viewsChecked++;
    if (chosen.has(at) && types.isProxy(snapshot) && types.isProxy((snapshot as unknown[]).at(-1))) viewsInViewsChecked++;
    previous = snapshot;
  });
  const final = parser.end();
  expect(final).toEqual(value);
  for (const { at, snapshot, copy, previous } of taken) {
    expect(isPartialOf(snapshot, final), `snapshot ${at}`).toBe(true);
    expect(isPartialOf(previous, snapshot), `snapshot ${at - 1} of ${at}`).toBe(true);
    expect(isDeepStrictEqual(deepCopy(snapshot), copy), `snapshot ${at} changed`).toBe(true);
  }
}

const picks = fc.array(fc.nat(), { minLength: 10, maxLength: 30 });

/** How many of the snapshots checked held a view, or a view as the last member of one: the properties must check some. */
let viewsChecked = 0;
let viewsInViewsChecked = 0;
const holdsView = (value: unknown): boolean => types.isProxy(value) || (typeof value === 'object' && value !== null && Object.values(value).some(holdsView));

describe('snapshots of long open arrays', () => {
  it('are partials of the final value and of the next, never change, and end equal to JSON.parse', () => {
    viewsChecked = 0;
    fc.assert(fc.property(documents, fc.integer({ min: 1, max: 9 }), picks, expectSnapshotsHold), { numRuns: 30 });
    expect(viewsChecked).toBeGreaterThan(0);
  });

  it('hold for views inside views', () => {
    viewsInViewsChecked = 0;
    fc.assert(fc.property(nested, fc.integer({ min: 6, max: 12 }), picks, expectSnapshotsHold), { numRuns: 2 });
    expect(viewsInViewsChecked).toBeGreaterThan(0);
  });

  const list = Array.from({ length: VIEW_FROM + 100 }, (_, i) => ({ id: i, tag: `t${i}` }));
  /** Where `midway` cuts: inside the item after the first VIEW_FROM + 14. */
  const OPEN = VIEW_FROM + 14;
  const text = JSON.stringify({ items: list });
  /** The snapshot after OPEN items and half of the next: `{ items: [OPEN items, { id: OPEN }] }`. */
  function midway(): { parser: ReturnType<typeof createPartialJSONParser>; items: unknown[] } {
    const parser = createPartialJSONParser();
    const cut = text.indexOf(`"tag":"t${OPEN}"`);
    const snapshot = parser.push(text.slice(0, cut)) as { items: unknown[] };
    return { parser, items: snapshot.items };
  }

  it('read as the array a copy would be', () => {
    const { items } = midway();
    const expected = [...list.slice(0, OPEN), { id: OPEN }];
    expect(Array.isArray(items)).toBe(true);
    expect(items).toHaveLength(OPEN + 1);
    expect(items[0]).toEqual({ id: 0, tag: 't0' });
    expect(items[OPEN]).toEqual({ id: OPEN });
    expect([items[OPEN + 1], items[-1 as never], (items as any)['01']]).toEqual([undefined, undefined, undefined]);
    expect([0 in items, OPEN in items, OPEN + 1 in items, 'map' in items]).toEqual([true, true, false, true]);
    expect(Object.keys(items)).toEqual(expected.map((_, i) => String(i)));
    expect([...items]).toEqual(expected);
    expect(items.map((item) => (item as { id: number }).id)).toEqual(expected.map((item) => item.id));
    expect(items.slice(-2)).toEqual(expected.slice(-2));
    expect(items.at(-1)).toEqual({ id: OPEN });
    expect(items.indexOf(items[5])).toBe(5);
    expect(JSON.stringify(items)).toBe(JSON.stringify(expected));
    expect(items).toEqual(expected);
    expect(Object.getPrototypeOf(items)).toBe(Array.prototype);
    expect(items.constructor).toBe(Array);
    expect(Object.prototype.toString.call(items)).toBe('[object Array]');
  });

  it('show their members in util.inspect and console.log', () => {
    const { items } = midway();
    expect(inspect(items, { depth: 0, maxArrayLength: 2 })).toBe(`[ [Object], [Object], ... ${OPEN - 1} more items ]`);
  });

  it('become a plain array of their own when written to, leaving the parser and other snapshots alone', () => {
    const { parser, items } = midway();
    const later = parser.push(text.slice(text.indexOf(`"tag":"t${OPEN}"`), text.indexOf(`"tag":"t${OPEN + 10}"`))) as { items: unknown[] };
    items.push('mine');
    items[0] = 'first';
    items.sort(() => 0);
    expect(items).toHaveLength(OPEN + 2);
    expect(items[0]).toBe('first');
    expect(items.at(-1)).toBe('mine');
    expect(later.items).toHaveLength(OPEN + 11);
    expect(later.items[0]).toEqual({ id: 0, tag: 't0' });
    parser.push(text.slice(text.indexOf(`"tag":"t${OPEN + 10}"`)));
    expect(parser.end()).toEqual({ items: list });
  });

  it('can be frozen, as a plain array can', () => {
    const { items } = midway();
    Object.freeze(items);
    expect(Object.isFrozen(items)).toBe(true);
    expect(() => {
      'use strict';
      items.push(1);
    }).toThrow(TypeError);
    expect(items).toHaveLength(OPEN + 1);
    expect(items[OPEN]).toEqual({ id: OPEN });
  });

  it('are proxies, which structuredClone refuses: a spread copy clones', () => {
    const { items } = midway();
    expect(() => structuredClone(items)).toThrow(/could not be cloned/);
    expect(structuredClone([...items])).toEqual([...list.slice(0, OPEN), { id: OPEN }]);
  });

  it('are plain arrays below VIEW_FROM members', () => {
    const parser = createPartialJSONParser();
    const short = parser.push(JSON.stringify(list.slice(0, VIEW_FROM - 1)).slice(0, -1)) as unknown[];
    expect(short).toHaveLength(VIEW_FROM - 1);
    expect(structuredClone(short)).toEqual(list.slice(0, VIEW_FROM - 1));
  });
});
