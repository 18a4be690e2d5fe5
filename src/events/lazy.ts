// The delta events whose partial value is built only when read. Classes with a getter on the
// prototype: an object literal with its own getter is slow to create in V8 (a runtime call per
// object, on every delta), a class instance almost free. Bench (j), events on every delta, is
// where that cost shows.
// The price: spread and structuredClone skip the getter (read it by name); JSON.stringify
// includes it, through toJSON.

/** A value built on first read, the same object on every later read (the partial parser's snapshots). */
export interface Lazy {
  readonly value: unknown;
}

/** `content.delta`. */
export class ContentDelta {
  readonly type = 'content.delta';
  readonly choice_index: unknown;
  readonly delta: string;
  readonly snapshot: string;
  readonly #parsed: Lazy | undefined;

  constructor(choice_index: unknown, delta: string, snapshot: string, parsed: Lazy | undefined) {
    this.choice_index = choice_index;
    this.delta = delta;
    this.snapshot = snapshot;
    this.#parsed = parsed;
  }

  /** Built on first read by the parser's snapshot, which keeps it: reading changes nothing else. */
  get parsed(): unknown {
    return this.#parsed?.value;
  }

  toJSON(): object {
    return { ...this, parsed: this.parsed };
  }
}

/** `tool_calls.function.arguments.delta`. */
export class ArgumentsDelta {
  readonly type = 'tool_calls.function.arguments.delta';
  readonly choice_index: unknown;
  readonly index: unknown;
  readonly id: string;
  readonly name: string;
  readonly arguments_delta: string;
  readonly arguments: string;
  readonly #parsed: Lazy | undefined;

  constructor(choice_index: unknown, call: { index: unknown; id: string; name: string }, delta: string, text: string, parsed: Lazy | undefined) {
    this.choice_index = choice_index;
    this.index = call.index;
    this.id = call.id;
    this.name = call.name;
    this.arguments_delta = delta;
    this.arguments = text;
    this.#parsed = parsed;
  }

  /** As `ContentDelta`'s `parsed`. */
  get parsed_arguments(): unknown {
    return this.#parsed?.value;
  }

  toJSON(): object {
    return { ...this, parsed_arguments: this.parsed_arguments };
  }
}

/** `logprobs.content.delta` and `logprobs.refusal.delta`: this chunk's tokens under `part`. */
export class LogprobsDelta {
  readonly type: string;
  readonly choice_index: unknown;
  readonly #snapshot: Tokens;

  constructor(part: 'content' | 'refusal', choice_index: unknown, tokens: unknown[], all: unknown[]) {
    this.type = `logprobs.${part}.delta`;
    this.choice_index = choice_index;
    (this as Record<string, unknown>)[part] = tokens;
    this.#snapshot = new Tokens(all);
  }

  /** The tokens so far, copied on first read. */
  get snapshot(): unknown[] {
    return this.#snapshot.value;
  }

  toJSON(): object {
    return { ...this, snapshot: this.snapshot };
  }
}

/** The first `length` tokens of a list that only grows: those of one moment, copied on first read. */
class Tokens {
  #all: unknown[] | undefined;
  readonly #length: number;
  #value: unknown[] = [];

  constructor(all: unknown[]) {
    this.#all = all;
    this.#length = all.length;
  }

  get value(): unknown[] {
    if (this.#all) {
      this.#value = this.#all.slice(0, this.#length);
      this.#all = undefined;
    }
    return this.#value;
  }
}
