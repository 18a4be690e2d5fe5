import { describe, expect, expectTypeOf, it } from 'vitest';
import * as sdk from '../src/index.js';

// The names renamed in this version stay, deprecated, until the next minor version: each old
// name is the new thing itself, not a copy that could drift from it.
describe('deprecated names', () => {
  it('are the same functions as the names that replace them', () => {
    expect(sdk.parseChatCompletion).toBe(sdk.createParsedChatCompletion);
    expect(sdk.parseCompletion).toBe(sdk.toParsedChatCompletion);
  });

  it('keep the chunk stream type under its old name', () => {
    expectTypeOf<sdk.ChatCompletionStream>().toEqualTypeOf<sdk.ChatCompletionChunkStream>();
  });

  it('let a client handed the old name bind it under the old name', () => {
    const client = sdk.createClient({ apiKey: 'sk-test' }, { parseChatCompletion: sdk.parseChatCompletion });
    expect(typeof client.parseChatCompletion).toBe('function');
    expect(() => sdk.createClient({}, { parseCompletion: sdk.parseCompletion } as never)).toThrow(sdk.OpenAIError);
  });
});
