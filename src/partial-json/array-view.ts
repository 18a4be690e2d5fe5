/**
 * A snapshot of an open array that is too long to copy on every piece: a read-only view of its
 * first members, over the parser's own list. That list only grows, and the view keeps the
 * length it had when taken, so the view never changes, however far the parser moves on: taking
 * one costs O(1), where a copy costs the array's length on every piece (quadratic over a
 * growing list). It is a `Proxy` of an array: `Array.isArray`, `length`, indexing, iteration,
 * spread, array methods, `JSON.stringify` and `Object.keys` see the members. Writing to it,
 * freezing it or defining a property first copies the members into it (once), after which it
 * is that plain array. `structuredClone` and `postMessage` refuse proxies: send a copy
 * (`[...view]`).
 */
export function arrayView(items: readonly unknown[], length: number, child: unknown): unknown[] {
  const size = child === undefined ? length : length + 1;
  return new Proxy(new ViewTarget(), new ArrayView(items, length, child, size)) as unknown[];
}

/** Node's hook for `util.inspect`: a proxy is shown by its target, which stays empty until copied into. */
const INSPECT: unique symbol = Symbol.for('nodejs.util.inspect.custom');

/** The proxy's target: an empty array until the view is copied into it. */
class ViewTarget extends Array<unknown> {
  /** What `console.log` in Node shows: the members (`this` is the proxy). */
  [INSPECT](this: unknown[]): unknown[] {
    return Array.from(this);
  }
}

/** The most digits an array index has (2^32 - 2 = 4294967294). */
const MAX_INDEX_DIGITS = 10;
const DIGIT_ZERO = 48;

/**
 * An array index (`"0"`, `"17"`; not `"01"`, `"-0"`, `"1e3"`), or -1 for any other key. Read
 * digit by digit: it runs on every element a consumer reads, and allocates nothing.
 */
function indexOf(key: string | symbol): number {
  if (typeof key !== 'string') return -1;
  const length = key.length;
  if (length === 0 || length > MAX_INDEX_DIGITS) return -1;
  if (length > 1 && key.charCodeAt(0) === DIGIT_ZERO) return -1;
  let index = 0;
  for (let i = 0; i < length; i++) {
    const digit = key.charCodeAt(i) - DIGIT_ZERO;
    if (digit < 0 || digit > 9) return -1;
    index = index * 10 + digit;
  }
  return index;
}

/**
 * The traps of one view: reads answer from `items` (the first `length`, then `child`), before
 * the first write; from then on every trap is the target's own behaviour.
 */
class ArrayView implements ProxyHandler<ViewTarget> {
  readonly #items: readonly unknown[];
  readonly #length: number;
  readonly #child: unknown;
  readonly #size: number;
  #copied = false;

  constructor(items: readonly unknown[], length: number, child: unknown, size: number) {
    this.#items = items;
    this.#length = length;
    this.#child = child;
    this.#size = size;
  }

  #at(index: number): unknown {
    return index < this.#length ? this.#items[index] : this.#child;
  }

  /** The first write: the members become the target's own, and the target a plain array. */
  #copy(target: ViewTarget): void {
    if (this.#copied) return;
    this.#copied = true;
    for (let i = 0; i < this.#size; i++) target[i] = this.#at(i);
    Object.setPrototypeOf(target, Array.prototype);
  }

  get(target: ViewTarget, key: string | symbol, receiver: unknown): unknown {
    if (this.#copied) return Reflect.get(target, key, receiver);
    if (key === 'length') return this.#size;
    const index = indexOf(key);
    if (index >= 0) return index < this.#size ? this.#at(index) : undefined;
    // Methods and the iterator as on any array (the target's own prototype stays hidden).
    return Reflect.get(Array.prototype, key, receiver);
  }

  has(target: ViewTarget, key: string | symbol): boolean {
    if (this.#copied) return Reflect.has(target, key);
    const index = indexOf(key);
    return index >= 0 ? index < this.#size : key === 'length' || key in Array.prototype;
  }

  ownKeys(target: ViewTarget): (string | symbol)[] {
    if (this.#copied) return Reflect.ownKeys(target);
    const keys: string[] = [];
    for (let i = 0; i < this.#size; i++) keys.push(String(i));
    keys.push('length');
    return keys;
  }

  getOwnPropertyDescriptor(target: ViewTarget, key: string | symbol): PropertyDescriptor | undefined {
    if (this.#copied) return Reflect.getOwnPropertyDescriptor(target, key);
    // As an array's own: `length` writable and not configurable (as the target's, which the proxy rules require).
    if (key === 'length') return { value: this.#size, writable: true, enumerable: false, configurable: false };
    const index = indexOf(key);
    if (index < 0 || index >= this.#size) return undefined;
    return { value: this.#at(index), writable: true, enumerable: true, configurable: true };
  }

  getPrototypeOf(target: ViewTarget): object | null {
    return this.#copied ? Reflect.getPrototypeOf(target) : Array.prototype;
  }

  set(target: ViewTarget, key: string | symbol, value: unknown, receiver: unknown): boolean {
    this.#copy(target);
    return Reflect.set(target, key, value, receiver);
  }

  defineProperty(target: ViewTarget, key: string | symbol, descriptor: PropertyDescriptor): boolean {
    this.#copy(target);
    return Reflect.defineProperty(target, key, descriptor);
  }

  deleteProperty(target: ViewTarget, key: string | symbol): boolean {
    this.#copy(target);
    return Reflect.deleteProperty(target, key);
  }

  preventExtensions(target: ViewTarget): boolean {
    this.#copy(target);
    return Reflect.preventExtensions(target);
  }

  setPrototypeOf(target: ViewTarget, prototype: object | null): boolean {
    this.#copy(target);
    return Reflect.setPrototypeOf(target, prototype);
  }
}
