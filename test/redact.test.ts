import { describe, expect, it } from 'vitest';
import { isSecret, maskHeaders, maskText, maskValue, mayHold, secretsFor } from '../src/redact.js';
import { Screen } from '../src/stream/screen.js';
import { KEYS } from './helpers/leaks.js';

// The masking rule and its tools, in process. Over HTTP: test/secrets.test.ts and
// test/secrets-property.test.ts.
const KEY = 'sk-test-SECRET-0123456789abcdef';
const secrets = secretsFor(KEY)!;

describe('the rule: which keys are secrets', () => {
  it.each([
    ['an OpenAI key', `sk-${'A1b2C3d4'.repeat(6)}`],
    ['a project key', `sk-proj-${'Ab3_xY9-'.repeat(20)}`],
    ["Azure's 32 hex characters", '0123456789abcdef0123456789abcdef'],
    ['a JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'],
    ['20 letters, digits or not', 'abcdefghijklmnopqrst'],
    ['8 characters with a digit', 'local-k3y'],
  ])('%s is one', (_, key) => {
    expect(isSecret(key)).toBe(true);
    expect(secretsFor(key)).toBeDefined();
  });

  it.each(['null', 'EMPTY', 'ollama', 'lm-studio', 'sk-no-key-required', 'sk-1234', 'x', 'not-needed', 'placeholder'])('the placeholder %j is not', (key) => {
    expect(isSecret(key)).toBe(false);
    expect(secretsFor(key)).toBeUndefined();
    // So nothing in prose changes because of it.
    expect(maskText(`bad ${key} value, req_${key}_1`, secretsFor(key))).toBe(`bad ${key} value, req_${key}_1`);
  });

  it('finds the credential after the scheme of an Authorization header, and the whole api-key header', () => {
    const azure = '0123456789abcdef0123456789abcdef';
    expect(maskText(`echo ${azure}`, secretsFor(undefined, null, azure))).toBe('echo [REDACTED]');
    expect(maskText(`echo ${KEY}`, secretsFor(undefined, `Bearer ${KEY}`))).toBe('echo [REDACTED]');
    expect(maskText(`echo ${KEY}`, secretsFor(undefined, KEY))).toBe('echo [REDACTED]');
    // The scheme is a word, not a secret.
    expect(maskText('Bearer token', secretsFor(undefined, `Bearer ${KEY}`))).toBe('Bearer token');
  });

  it('gives a key alone and the same key with a credential header each their own secrets, in either order', () => {
    const other = 'sk-other-ZYXWVUTSRQPONMLKJIHGFE';
    for (const order of [0, 1]) {
      const [first, second] = order ? [secretsFor(KEY, `Bearer ${other}`), secretsFor(KEY)] : [secretsFor(KEY), secretsFor(KEY, `Bearer ${other}`)];
      const [alone, withHeader] = order ? [second, first] : [first, second];
      expect(maskText(`${KEY} ${other}`, alone)).toBe(`[REDACTED] ${other}`);
      expect(maskText(`${KEY} ${other}`, withHeader)).toBe('[REDACTED] [REDACTED]');
      expect(maskText(`${KEY} ${other}`, secretsFor(KEY, undefined, other))).toBe('[REDACTED] [REDACTED]');
    }
  });
});

describe('maskText', () => {
  it('masks every occurrence, and every 16-character run of the key, at any offset', () => {
    expect(maskText(`a ${KEY} b ${KEY}`, secrets)).toBe('a [REDACTED] b [REDACTED]');
    for (let start = 0; start + 16 <= KEY.length; start++) {
      const piece = KEY.slice(start, start + 16);
      expect(maskText(`<${piece}>`, secrets), piece).toBe('<[REDACTED]>');
    }
    // Fifteen characters are not enough to be masked: a word the key happens to start with stays.
    expect(maskText(`<${KEY.slice(0, 15)}>`, secrets)).toBe(`<${KEY.slice(0, 15)}>`);
  });

  it('masks the key and its runs in any spelling JSON allows', () => {
    const escaped = JSON.stringify(KEY).slice(1, -1).replace('s', '\\u0073').replace('E', '\\u0045');
    expect(maskText(`{"message":"bad key ${escaped}"}`, secrets)).toBe('{"message":"bad key [REDACTED]"}');
    expect(maskText(`x \\u0073${KEY.slice(1, 16)} y`, secrets)).toBe('x [REDACTED] y');
    const odd = 'k"\\/y-0123456789';
    const oddSecrets = secretsFor(odd);
    expect(maskText(JSON.stringify({ message: `echo ${odd} echo` }), oddSecrets)).toBe('{"message":"echo [REDACTED] echo"}');
    expect(maskText(`echo ${odd} echo`, oddSecrets)).toBe('echo [REDACTED] echo');
  });

  it('leaves text without the key as it is: the same string', () => {
    const text = 'req_abc123 sk-other-key-0000000000000000';
    expect(maskText(text, secrets)).toBe(text);
    expect(maskText(text, undefined)).toBe(text);
  });
});

describe('maskValue and maskHeaders', () => {
  it('mask strings, arrays and object keys, and give the value itself when nothing changes', () => {
    const value = { message: `bad key ${KEY} (${KEY})`, list: [KEY, 1, null], [KEY]: true, nested: { deep: `Bearer ${KEY}` } };
    expect(maskValue(value, secrets)).toEqual({
      message: 'bad key [REDACTED] ([REDACTED])',
      list: ['[REDACTED]', 1, null],
      '[REDACTED]': true,
      nested: { deep: 'Bearer [REDACTED]' },
    });
    const clean = { a: 'x', b: [1, { c: 'y' }] };
    expect(maskValue(clean, secrets)).toBe(clean);
    expect(maskValue(clean, undefined)).toBe(clean);
  });

  it('copy a deeply nested value without recursion, and keep __proto__ keys as data', () => {
    let deep: unknown = KEY;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    let out = maskValue(deep, secrets) as unknown;
    for (let i = 0; i < 200_000; i++) out = (out as unknown[])[0];
    expect(out).toBe('[REDACTED]');
    const parsed = maskValue(JSON.parse(`{"__proto__":{"polluted":"${KEY}"}}`), secrets);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('leave header names, request ids and numbers alone', () => {
    const headers = new Headers({ 'x-request-id': 'req_1', 'retry-after': '1', echo: `key ${KEY}` });
    expect(maskHeaders(headers, secrets)).toEqual({ echo: 'key [REDACTED]', 'retry-after': '1', 'x-request-id': 'req_1' });
  });
});

// A stream's screen: a read it passes over is never searched, so it must suspect every read that
// holds a piece of a key (RUN characters of it), wherever the piece sits and wherever reads cut
// it; and, to be worth having, none of the reads of a plain stream.
const RUN = 16;

/** A chat chunk event, as the API streams it, with `content` in it. */
const chunk = (content: string) =>
  `data: {"id":"chatcmpl-C3bN8Kx9gqJrU2a1vVd0yFhTzQwE7","object":"chat.completion.chunk","created":1764057600,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_560af6e559","choices":[{"index":0,"delta":{"content":"${content}"},"logprobs":null,"finish_reason":null}]}\n\n`;
/** A read of a plain stream: chunks of words, about 4 KB. */
const PLAIN = Array.from({ length: 16 }, (_, i) => chunk(` word${i} café, 42 and 👋 tokens.`)).join('');

const LONG_KEYS = { openai: KEYS.openai, project: KEYS.project, jwt: KEYS.jwt };
const encoder = new TextEncoder();
/** A read of `text` as the stream gives it to its screen: its bytes, and the text they decode to. */
const read = (screen: Screen, text: string) => screen.read(encoder.encode(text), text);

describe('Screen: what a stream searches', () => {
  it('says whether a read may hold a piece of the key, in itself or across its start', () => {
    const screen = new Screen(secrets);
    read(screen, 'data: {"content":"nothing here"}\n\n');
    expect(screen.suspect).toBe(0);
    // The first 16 characters, split 5 + 11 between two reads.
    read(screen, `data: {"content":"${KEY.slice(0, 5)}`);
    expect(screen.suspect).toBe(0);
    read(screen, `${KEY.slice(5, 16)}"}\n\n`);
    expect(screen.suspect).toBe(2);
    screen.parsed();
    expect(screen.suspect).toBe(1);
    expect(screen.masked({ content: `${KEY.slice(0, 16)}` }, `{"content":"${KEY.slice(0, 16)}"}`)).toEqual({ content: '[REDACTED]' });
    expect(screen.suspect).toBe(0);
  });

  it('suspects a read with an escape that could spell the key, and finds nothing where there is nothing', () => {
    expect(mayHold('caf\\u00e9', secrets)).toBe(true);
    const value = { content: 'café' };
    expect(maskValue(value, secrets)).toBe(value);
    expect(mayHold('plain words, req_123, chatcmpl-abc', secrets)).toBe(false);
  });

  it('suspects the escapes of a key that holds /, " or \\, each alone, and only for such a key', () => {
    const odd = secretsFor('k/"\\y-0123456789abcdef')!;
    for (const text of ['a\\/b', 'a\\"b', 'a\\\\b']) {
      expect(mayHold(text, odd)).toBe(true);
      expect(mayHold(text, secrets)).toBe(false);
    }
  });

  it.each(Object.entries({ short: KEY, ...LONG_KEYS }))('suspects no read of a plain stream (%s key)', (_, key) => {
    const screen = new Screen(secretsFor(key)!);
    for (let i = 0; i < 4; i++) read(screen, PLAIN);
    // Cut anywhere, events split across reads.
    for (let cut = 1; cut < 200; cut += 7) {
      read(screen, PLAIN.slice(0, cut));
      read(screen, PLAIN.slice(cut));
    }
    expect(screen.suspect).toBe(0);
  });

  it.each(Object.entries(LONG_KEYS))('suspects a read that holds any piece of a long key, at any place in it (%s key)', (_, key) => {
    const secrets = secretsFor(key)!;
    for (let start = 0; start + RUN <= key.length; start++) {
      const piece = key.slice(start, start + RUN);
      // At thirteen offsets in a row, in the middle of a read.
      for (let shift = 0; shift < 13; shift++) {
        const screen = new Screen(secrets);
        read(screen, PLAIN.slice(0, 1000 + shift) + piece + PLAIN.slice(1000 + shift));
        expect(screen.suspect, `piece at ${start}, shift ${shift}`).toBe(2);
      }
      // Alone in a read, and at either end of one.
      for (const text of [piece, `${piece}${PLAIN}`, `${PLAIN}${piece}`]) {
        const screen = new Screen(secrets);
        read(screen, text);
        expect(screen.suspect, `piece at ${start}`).toBe(2);
      }
    }
  });

  it.each(Object.entries({ short: KEY, ...LONG_KEYS }))('suspects a piece cut between two reads, wherever the cut falls (%s key)', (_, key) => {
    const secrets = secretsFor(key)!;
    for (let start = 0; start + RUN <= key.length; start += 3) {
      const piece = key.slice(start, start + RUN);
      // At thirteen offsets in a row, and every cut through it.
      for (let shift = 0; shift < 13; shift++) {
        const text = `${PLAIN}data: {"content":"${'.'.repeat(shift)}your key is ${piece} ok"}\n\n`;
        const at = text.indexOf(piece);
        for (let cut = at + 1; cut < at + RUN; cut++) {
          const screen = new Screen(secrets);
          read(screen, text.slice(0, cut));
          screen.parsed();
          read(screen, text.slice(cut));
          // Suspected by the second read, or by the first for the event it left open (then the next one dispatched is searched).
          expect(screen.suspect, `piece at ${start}, shift ${shift}, cut ${cut - at} into it`).toBeGreaterThan(0);
        }
      }
    }
  });

  it.each(Object.entries({ short: KEY, ...LONG_KEYS }))('suspects a read with an escape that could spell the key (%s key)', (_, key) => {
    const screen = new Screen(secretsFor(key)!);
    read(screen, `${PLAIN}data: {"content":"\\u0073k"}\n\n`);
    expect(screen.suspect).toBe(2);
  });
});
