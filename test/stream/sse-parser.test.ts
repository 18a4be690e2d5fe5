import { describe, expect, it } from 'vitest';
import { createSSEParser } from '../../src/stream/sse-parser.js';

// The text → events half of the SSE stage, on its own: WHATWG "parsing an event stream".
describe('the line parser', () => {
  const events = (...pieces: string[]) => {
    const out: [string, string][] = [];
    const parser = createSSEParser({
      onEvent: (data, type) => out.push([data, type]),
      onOverflow: () => out.push(['overflow', '']),
    });
    for (const piece of pieces) parser.feed(piece);
    parser.end();
    return out;
  };

  it('follows the examples of the WHATWG spec', () => {
    expect(events('data: YHOO\ndata: +2\ndata: 10\n\n')).toEqual([['YHOO\n+2\n10', '']]);
    expect(events(': test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n')).toEqual([
      ['first event', ''],
      ['second event', ''],
      [' third event', ''],
    ]);
    // The spec discards the last block, which lacks its blank line; this parser dispatches it.
    expect(events('data\n\ndata\ndata\n\ndata:')).toEqual([
      ['', ''],
      ['\n', ''],
      ['', ''],
    ]);
    expect(events('data:test\n\ndata: test\n\n')).toEqual([
      ['test', ''],
      ['test', ''],
    ]);
  });

  it('reports the event field, reset after each event', () => {
    expect(events('event: error\ndata: x\n\nevent:add\ndata\n\ndata: y\n\n')).toEqual([
      ['x', 'error'],
      ['', 'add'],
      ['y', ''],
    ]);
  });

  it('leaves the byte order mark to the decoder: here it is part of a field name', () => {
    expect(events('\ufeffdata: a\n\n')).toEqual([]);
  });

  it('calls onOverflow when one line outgrows maxBufferSize', () => {
    const out: string[] = [];
    const parser = createSSEParser({
      onEvent: (data) => out.push(data),
      onOverflow: (max) => out.push(`overflow ${max}`),
      maxLength: 10,
    });
    parser.feed('data: 0123');
    parser.feed('456789');
    expect(out).toEqual(['overflow 10']);
  });
});
