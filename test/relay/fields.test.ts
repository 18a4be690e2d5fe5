import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CREATE_FIELDS, GUARDED_FIELDS } from '../../src/relay/fields.js';

// The relay's runtime list of create properties is the contract's: src/relay/fields.ts fails to
// compile when src/types/request.ts gains a property it lacks, and this compares the list with
// the spec itself (test/fixtures/chat-completions.yaml), so neither can drift.
interface Schema {
  $ref?: string;
  allOf?: Schema[];
  properties?: Record<string, unknown>;
}
const spec = parse(readFileSync(new URL('../fixtures/chat-completions.yaml', import.meta.url), 'utf8')) as { components: { schemas: Record<string, Schema> } };

/** Every property name of a schema, through `allOf` and `$ref`s. */
function propertiesOf(schema: Schema): string[] {
  const resolved = schema.$ref ? spec.components.schemas[schema.$ref.split('/').at(-1)!]! : schema;
  return [...(resolved.allOf ?? []).flatMap(propertiesOf), ...Object.keys(resolved.properties ?? {})];
}

describe('the properties a page may send', () => {
  it('are exactly those of CreateChatCompletionRequest in the spec', () => {
    const fromSpec = new Set(propertiesOf({ $ref: '#/components/schemas/CreateChatCompletionRequest' }));
    expect(fromSpec.size).toBeGreaterThan(30);
    expect([...CREATE_FIELDS].sort()).toEqual([...fromSpec].sort());
  });

  it('hold every guarded property, each refused unless allowed', () => {
    for (const name of GUARDED_FIELDS) expect(CREATE_FIELDS).toContain(name);
    expect([...GUARDED_FIELDS].sort()).toEqual(['metadata', 'prompt_cache_key', 'safety_identifier', 'service_tier', 'store', 'user']);
  });
});
