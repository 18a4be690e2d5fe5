/** How many unfinished choices a cut-stream message lists (a hostile stream may open millions). */
const LISTED_CHOICES = 5;

/**
 * Which choices of a stream have had their `finish_reason`: what tells a cut stream from one
 * that ended. Nearly every stream has one choice, kept in two fields; a map is made only for a
 * second choice, so that an open stream of one choice holds no map.
 */
export class FinishedChoices {
  /** The first choice seen: its index, and whether it finished. */
  #first: number | undefined;
  #firstFinished = false;
  /** Every other choice: index → whether it finished. */
  #others: Map<number, boolean> | undefined;

  /**
   * A chunk's `choices`: each one seen, and finished once its `finish_reason` arrives (then it
   * stays so). A choice without `finish_reason` gets `null`, as its type says and OpenAI sends
   * it (Perplexity, xAI, Qwen and others leave the key out until the last chunk).
   */
  track(choices: unknown): void {
    // Chunks without choices (usage, Azure's prompt filter) count for none.
    if (!Array.isArray(choices)) return;
    for (const choice of choices) {
      const reason = choice?.finish_reason;
      if (reason === undefined && typeof choice === 'object' && choice !== null) choice.finish_reason = null;
      this.#see(Number(choice?.index) || 0, Boolean(reason));
    }
  }

  /** Why the stream's end is not the answer's end, or `undefined` when every choice seen finished. */
  whyCut(): string | undefined {
    const open: number[] = [];
    if (this.#first === undefined) return 'no choice arrived';
    if (!this.#firstFinished) open.push(this.#first);
    for (const [index, finished] of this.#others ?? []) if (!finished) open.push(index);
    if (!open.length) return undefined;
    const listed = open.slice(0, LISTED_CHOICES).join(', ');
    return `choice ${open.length > LISTED_CHOICES ? `${listed} and ${open.length - LISTED_CHOICES} more have` : `${listed} has`} no finish_reason`;
  }

  /** Written when first seen and when finished, no more. */
  #see(index: number, finished: boolean): void {
    if (this.#first === undefined || index === this.#first) {
      this.#first = index;
      if (finished) this.#firstFinished = true;
      return;
    }
    this.#others ??= new Map();
    const known = this.#others.get(index);
    if (!known && (known === undefined || finished)) this.#others.set(index, finished);
  }
}
