import { choiceIndex } from '../own.js';

/** How many unfinished choices a cut-stream message lists (a hostile stream may open millions). */
const LISTED_CHOICES = 5;

/**
 * Which choices of a stream have had their `finish_reason`: what tells a cut stream from one
 * that ended. Nearly every stream has one choice, kept in two fields; a map is made only for a
 * second choice, so that an open stream of one choice holds no map.
 */
export class FinishedChoices {
  /** The first choice seen, and whether it finished. */
  #first: unknown;
  #done = false;
  #seen = false;
  /** Every other choice: index → whether it finished. */
  #others: Map<unknown, boolean> | undefined;

  /**
   * A chunk's `choices`: each one seen, and finished once its `finish_reason` arrives (then it
   * stays so). A choice without `finish_reason` gets `null`, as its type says and OpenAI sends
   * it (Perplexity, xAI, Qwen and others leave the key out until the last chunk).
   */
  track(choices: unknown): void {
    // Chunks without choices (usage, Azure's prompt filter) count for none.
    if (!Array.isArray(choices)) return;
    for (const choice of choices) {
      // What is not a choice object counts as none; the fold says what is wrong with it.
      if (typeof choice !== 'object' || choice === null) continue;
      const reason = choice.finish_reason;
      if (reason === undefined) choice.finish_reason = null;
      // The index as the fold reads it, so that both agree on which choices there are.
      const index = choiceIndex(choice);
      if (!this.#seen) {
        this.#seen = true;
        this.#first = index;
      }
      if (Object.is(index, this.#first)) {
        this.#done ||= Boolean(reason);
        continue;
      }
      this.#others ??= new Map();
      if (!this.#others.get(index)) this.#others.set(index, Boolean(reason));
    }
  }

  /** Why the stream's end is not the answer's end, or `undefined` when every choice seen finished. */
  whyCut(): string | undefined {
    if (!this.#seen) return 'no choice arrived';
    const open = this.#done ? [] : [this.#first];
    for (const [index, done] of this.#others ?? []) if (!done) open.push(index);
    if (!open.length) return undefined;
    // A number as it is, anything else by its type: the network's text is never quoted.
    const listed = open
      .slice(0, LISTED_CHOICES)
      .map((index) => (typeof index === 'number' ? index : typeof index))
      .join(', ');
    return `choice ${open.length > LISTED_CHOICES ? `${listed} and ${open.length - LISTED_CHOICES} more have` : `${listed} has`} no finish_reason`;
  }
}
