import { describe, expect, it } from 'vitest';
import { deltaChunk, foldChunks } from '../helpers/fold-streams.js';

// The one rule of the fold, on fields it has no name for: in a delta, strings are pieces joined
// in order and lists grow, except a field that has only ever repeated one same value (a label,
// kept once); elsewhere the latest value counts; `null` and `""` add nothing and erase nothing.
const fold = async (deltas: Record<string, unknown>[], top: Record<string, unknown>[] = []) => {
  const chunks = deltas.map((delta, i) => ({ ...deltaChunk(delta, i === deltas.length - 1 ? 'stop' : null), ...top[i] }));
  return foldChunks(chunks);
};
const messageOf = async (deltas: Record<string, unknown>[]) => (await fold(deltas)).choices[0].message as Record<string, any>;

describe('labels and pieces, by where a string sits and whether it changes', () => {
  it('joins an unknown field whose pieces differ', async () => {
    expect((await messageOf([{ x_thoughts: 'Let me ' }, { x_thoughts: 'think.' }])).x_thoughts).toBe('Let me think.');
  });

  it('keeps once an unknown field that repeats the same value (Groq-style channel with 22 pieces)', async () => {
    const deltas = Array.from({ length: 22 }, (_, i) => ({ reasoning: `r${i} `, channel: 'analysis' }));
    const message = await messageOf(deltas);
    expect(message.channel).toBe('analysis');
    expect(message.reasoning).toBe(deltas.map((d) => d.reasoning).join(''));
  });

  it('counts the repeats as pieces once a different piece shows the field is text', async () => {
    expect((await messageOf([{ content: 'ab' }, { content: 'ab' }, { content: 'c' }])).content).toBe('ababc');
  });

  it('joins the text fields the API defines even when one piece repeats (newlines, dots), and keeps an unknown repeated field once', async () => {
    expect((await messageOf([{ content: '\n' }, { content: '\n' }, { content: '.' }, { content: '.' }])).content).toBe('\n\n..');
    expect((await messageOf([{ reasoning_content: 'ha' }, { reasoning_content: 'ha' }])).reasoning_content).toBe('haha');
    const call = (args: string) => ({ tool_calls: [{ index: 0, function: { arguments: args } }] });
    expect((await messageOf([call('1'), call('1')])).tool_calls).toEqual([{ type: 'function', function: { arguments: '11' } }]);
    expect((await messageOf([{ x_stage: 'draft' }, { x_stage: 'draft' }])).x_stage).toBe('draft');
  });

  it('does not double a role repeated in every delta, nor a tool call type repeated with each piece', async () => {
    const call = (args: string) => ({ tool_calls: [{ index: 0, type: 'function', function: { arguments: args } }] });
    const message = await messageOf([
      { role: 'assistant', ...call('{"a"') },
      { role: 'assistant', ...call(':1}') },
    ]);
    expect(message.role).toBe('assistant');
    expect(message.tool_calls).toEqual([{ type: 'function', function: { arguments: '{"a":1}' } }]);
  });

  it('lets the latest value count outside a delta (a choice field, a top-level field)', async () => {
    const completion = await fold(
      [{ content: 'a' }, { content: 'b' }],
      [
        { x_stage: 'one', model: 'm1' },
        { x_stage: 'two', model: 'm2' },
      ],
    );
    expect(completion).toMatchObject({ x_stage: 'two', model: 'm2' });
  });
});

describe('empty strings and null never erase', () => {
  it('keeps a tool call id and name when later deltas repeat them empty (Qwen, Mistral)', async () => {
    const message = await messageOf([
      { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '' } }] },
      { tool_calls: [{ index: 0, id: '', type: '', function: { name: '', arguments: '{"q":' } }] },
      { tool_calls: [{ index: 0, id: '', function: { name: '', arguments: '1}' } }], role: '' },
    ]);
    expect(message.role).toBe('assistant');
    expect(message.tool_calls).toEqual([{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":1}' } }]);
  });

  it('keeps top-level id and model when a later chunk sends them empty or null', async () => {
    const completion = await fold([{ content: 'a' }, { content: 'b' }], [{}, { id: '', model: null, system_fingerprint: '' }]);
    expect(completion).toMatchObject({ id: 'chatcmpl-fold', model: 'm' });
  });

  it('gives an empty refusal as null, as the non-streamed answer does, and keeps a real one', async () => {
    expect((await messageOf([{ content: 'Hi', refusal: '' }, { refusal: '' }])).refusal).toBeNull();
    expect((await messageOf([{ refusal: '' }, { refusal: 'No.' }])).refusal).toBe('No.');
  });

  it('gives content "" when only empty pieces arrived, and null when none did', async () => {
    expect((await messageOf([{ content: '' }])).content).toBe('');
    expect((await messageOf([{ role: 'assistant' }])).content).toBeNull();
  });
});

describe('lists whose elements carry an index merge by index', () => {
  it('merges an unknown list by index, in index order, keeping the index as the non-streamed answer does', async () => {
    const message = await messageOf([
      { x_steps: [{ index: 1, type: 'b', text: 'B' }] },
      { x_steps: [{ index: 0, type: 'a', text: 'A' }] },
      {
        x_steps: [
          { index: 1, type: 'b', text: '2' },
          { index: 0, type: 'a', text: '1' },
        ],
      },
    ]);
    expect(message.x_steps).toEqual([
      { index: 0, type: 'a', text: 'A1' },
      { index: 1, type: 'b', text: 'B2' },
    ]);
  });

  it('appends the elements of a list without indices in a delta (annotations), and replaces such a list elsewhere', async () => {
    const note = (url: string) => ({ type: 'url_citation', url_citation: { url } });
    const completion = await fold([{ annotations: [note('a')] }, { annotations: [note('b')] }], [{ citations: ['a'] }, { citations: ['a', 'b'] }]);
    expect(completion.choices[0].message.annotations).toEqual([note('a'), note('b')]);
    expect((completion as any).citations).toEqual(['a', 'b']);
  });
});

describe('content as a list of parts', () => {
  const thinking = (text: string) => ({ type: 'thinking', thinking: [{ type: 'text', text }] });

  it('keeps content a plain string for a model that streams only strings', async () => {
    expect((await messageOf([{ content: 'Hel' }, { content: 'lo' }])).content).toBe('Hello');
  });

  it('merges parts of the same type in a row and turns later strings into a text part', async () => {
    const message = await messageOf([
      { content: '' },
      { content: [thinking('Let me ')] },
      { content: [thinking('see.')] },
      { content: 'Four' },
      { content: '.' },
    ]);
    expect(message.content).toEqual([thinking('Let me see.'), { type: 'text', text: 'Four.' }]);
  });

  it('turns a string that came before the parts into the first text part', async () => {
    const message = await messageOf([{ content: 'Intro. ' }, { content: [{ type: 'text', text: 'More.' }, thinking('hm')] }]);
    expect(message.content).toEqual([{ type: 'text', text: 'Intro. More.' }, thinking('hm')]);
  });

  it('keeps parts of different types apart, in order', async () => {
    const message = await messageOf([{ content: [thinking('a')] }, { content: [{ type: 'text', text: 'b' }] }, { content: [thinking('c')] }]);
    expect(message.content).toEqual([thinking('a'), { type: 'text', text: 'b' }, thinking('c')]);
  });
});
