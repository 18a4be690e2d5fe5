/**
 * An open array or object. Its members only grow while it is open, and where it sits in its
 * parent is fixed, so a snapshot of any moment is (frame, member count, pending key, partial
 * child): captured in O(1) per push, built from these append-only lists when asked for.
 */
export interface Frame {
  isArray: boolean;
  /** An array's members (the array itself, handed out once closed), or an object's values in order. */
  items: unknown[];
  /** An object's keys in order, beside `items`; repeated keys appear twice, as in the text. */
  keys: string[];
  /** The object being built (members defined as JSON.parse would), handed out once closed. */
  object: Record<string, unknown>;
  /** In an object, the key whose value is being read. */
  key: string;
  parent: Frame | undefined;
  /** The parent's member count and pending key when this container opened: its place there. */
  parentLength: number;
  parentKey: string;
}

/** A container opened inside `parent` (none for the top-level value). */
export function openFrame(isArray: boolean, parent: Frame | undefined): Frame {
  const parentLength = parent ? parent.items.length : 0;
  return { isArray, items: [], keys: [], object: {}, key: '', parent, parentLength, parentKey: parent ? parent.key : '' };
}

/** Sets a member the way JSON.parse does: `__proto__` becomes an own property, never the prototype. */
export function define(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}
