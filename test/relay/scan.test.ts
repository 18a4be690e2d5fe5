import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mayHold, secretsFor } from '../../src/redact.js';
import { holds, needleOf, secretNeedles } from '../../src/relay/scan.js';

// The relayed stream decodes a read only when a byte search says it may hold usage, an error or
// the key: the search must find a needle wherever the text holds it, at any offset of a view
// into any buffer (reads arrive as views at odd offsets), and never where it does not.
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `text` as bytes viewed at `offset` into a larger buffer, with other bytes around. */
function viewAt(text: string, offset: number): Uint8Array {
  const bytes = encoder.encode(text);
  const buffer = new Uint8Array(offset + bytes.length + 3).fill(0x61);
  buffer.set(bytes, offset);
  return buffer.subarray(offset, offset + bytes.length);
}

const alphabet = fc.constantFrom(...'ab"usage:{ \\u00/é😀-0123'.split(''), '"usage"', 'sk-');

describe('byte searches of a relayed read', () => {
  it('find a needle exactly where the decoded text holds it, at any offset', () => {
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 40 }).map((parts) => parts.join('')),
        fc.constantFrom('"usage"', '\\u00', 'age', '\\/', 'sk-a', '😀'),
        fc.nat(5),
        (text, needle, offset) => {
          const bytes = viewAt(text, offset);
          expect(holds(bytes, needleOf(needle))).toBe(decoder.decode(bytes).includes(needle));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('find what mayHold finds in the text, for the key and its escapes', () => {
    const key = 'sk-relay-scan-0123456789abcdefghij/"';
    const secrets = secretsFor(key)!;
    const pieces = [key.slice(3, 20), key.slice(10, 30), '\\u0073', '\\/', 'plain text', '{"usage":null}', '😀'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 6 }), fc.nat(3), (parts, offset) => {
        const text = parts.join(' ');
        const bytes = viewAt(text, offset);
        expect(secretNeedles(secrets).some((needle) => holds(bytes, needle))).toBe(mayHold(text, secrets));
      }),
      { numRuns: 1000 },
    );
  });

  it('checks what follows the needle', () => {
    const bytes = viewAt('{"usage": null, "x": {"usage" :\n{"total_tokens":1}}}', 1);
    const object = (end: number) => /^\s*:\s*\{/.test(decoder.decode(bytes.subarray(end)));
    expect(holds(bytes, needleOf('"usage"'), object)).toBe(true);
    expect(holds(viewAt('{"usage": null}', 1), needleOf('"usage"'), object)).toBe(false);
  });
});
