import { describe, expect, it } from 'vitest';
import { secretsFor } from '../../src/redact.js';
import { Screen } from '../../src/stream/screen.js';
import { createChatCompletion } from '../../src/index.js';

// The stream's screen probes a read's bytes, not its text: what that changes, in process. The
// screen's contract on ASCII keys is in test/redact.test.ts; over HTTP, test/secrets-property.test.ts.
const RUN = 16;
const encoder = new TextEncoder();
/** Text around a piece: words with characters of two, three and four bytes, so that byte and character offsets differ. */
const AROUND = 'data: {"content":"café — naïve 👋 text, 42 tokens"}\n\n'.repeat(20);

/** Feeds `bytes` to a screen in reads cut at `cuts`, each decoded as a stream decodes it (a character cut in two waits for its second half). */
function screened(key: string, bytes: Uint8Array, cuts: number[]): number {
  const screen = new Screen(secretsFor(key)!);
  const decoder = new TextDecoder();
  let suspect = 0;
  let start = 0;
  for (const end of [...cuts, bytes.length]) {
    const read = bytes.subarray(start, end);
    screen.read(read, decoder.decode(read, { stream: true }));
    suspect = Math.max(suspect, screen.suspect);
    screen.parsed();
    start = end;
  }
  return suspect;
}

describe("the stream's screen, on bytes", () => {
  it('finds every piece of a key of characters past ASCII, at every byte offset, and cut at every byte, inside a character too', () => {
    const key = 'clé-secrète-ünïcødé-0123456789';
    for (let start = 0; start + RUN <= key.length; start += 2) {
      const piece = key.slice(start, start + RUN);
      for (let shift = 0; shift < 4; shift++) {
        const bytes = encoder.encode(`${AROUND}data: {"content":"${'.'.repeat(shift)}${piece}"}\n\n${AROUND}`);
        const at = encoder.encode(`${AROUND}data: {"content":"${'.'.repeat(shift)}`).length;
        const length = encoder.encode(piece).length;
        expect(screened(key, bytes, []), `piece at ${start}, shift ${shift}`).toBe(2);
        for (let cut = at + 1; cut < at + length; cut++)
          expect(screened(key, bytes, [cut]), `piece at ${start}, shift ${shift}, cut ${cut - at}`).toBeGreaterThan(0);
      }
    }
  });

  it('finds a piece in reads of an ArrayBuffer, a DataView or a view at an odd offset in a larger buffer, as the decoder reads them', () => {
    const key = 'sk-proj-Ab3_xY9-Ab3_xY9-Ab3_xY9-Zz';
    const text = `${AROUND}data: {"content":"${key.slice(5, 5 + RUN)}"}\n\n`;
    const bytes = encoder.encode(text);
    // At an odd offset in its buffer, as a Node Buffer from a shared pool may be.
    const padded = new Uint8Array(bytes.length + 8);
    padded.set(bytes, 3);
    for (const read of [bytes.slice().buffer, new DataView(bytes.slice().buffer), padded.subarray(3, 3 + bytes.length)]) {
      const screen = new Screen(secretsFor(key)!);
      screen.read(read, text);
      expect(screen.suspect).toBe(2);
    }
  });

  it('takes reads of fewer than four bytes at the very end of their buffer, at every offset', () => {
    for (let size = 1; size <= 7; size++) {
      for (let length = 1; length <= Math.min(size, 3); length++) {
        const buffer = new Uint8Array(size).fill(0x61);
        const screen = new Screen(secretsFor('sk-proj-Ab3_xY9-Ab3_xY9-Ab3_xY9-Zz')!);
        screen.read(buffer.subarray(size - length), 'a'.repeat(length));
        expect(screen.suspect).toBe(0);
      }
    }
  });

  it.each(['local-k3y', 'k3y-0f-ten', 'twelve-chr-9'])('finds a short secret (%s) whole at every byte offset, in one read', (key) => {
    for (let shift = 0; shift < 8; shift++) {
      const bytes = encoder.encode(`${AROUND}data: {"content":"${'.'.repeat(shift)}${key}"}\n\n${AROUND}`);
      expect(screened(key, bytes, []), `shift ${shift}`).toBe(2);
    }
  });

  it('suspects nothing in plain text of many scripts, whatever the key', () => {
    const plain = encoder.encode('data: {"content":"日本語のテキスト, русский текст, emoji 🎉🎉, 42 tokens"}\n\n'.repeat(200));
    for (const key of ['sk-proj-Ab3_xY9-Ab3_xY9-Ab3_xY9-Zz', 'clé-secrète-ünïcødé-0123456789', 'local-k3y']) {
      expect(screened(key, plain, [1000, 1001, 5003])).toBe(0);
    }
  });

  it("reads a stream whose every byte comes alone at the end of a buffer of its own, the key's screen on", async () => {
    const text = `data: {"choices":[{"index":0,"delta":{"content":"héllo"},"finish_reason":null}]}\n\ndata: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n`;
    const bytes = encoder.encode(text);
    let at = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (at === bytes.length) return controller.close();
        // Six bytes, the last one read: its view ends where its buffer does, at an odd offset.
        const buffer = new Uint8Array(6);
        buffer[5] = bytes[at++]!;
        controller.enqueue(buffer.subarray(5));
      },
    });
    const fetch = async () => new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    const stream = await createChatCompletion({ model: 'm', messages: [], stream: true }, { apiKey: 'sk-proj-Ab3_xY9-Ab3_xY9-Ab3_xY9-Zz', fetch });
    const contents: unknown[] = [];
    for await (const chunk of stream) contents.push(chunk.choices[0]?.delta.content);
    expect(contents).toEqual(['héllo', undefined]);
  });
});
