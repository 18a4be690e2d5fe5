// JSON Schema (draft-07 with `$defs`), as far as Structured Outputs and function parameters
// use it. Types only. Arrays are readonly so that schemas written `as const` fit.

/** A JSON Schema type name. */
export type JSONSchemaTypeName = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

/** A schema, or `true` (anything) / `false` (nothing); strict mode accepts only objects. */
export type JSONSchemaDefinition = JSONSchema | boolean;

/**
 * A JSON Schema object. Strict Structured Outputs support `type`, `properties`, `required`,
 * `additionalProperties: false`, `items`, `enum`, `const`, `anyOf`, `$ref` with `$defs` or
 * `definitions`, `pattern`, `format`, `minimum`/`maximum` (and exclusive), `multipleOf`,
 * `minItems`/`maxItems` and annotations (`description`, `title`, ...). Other keywords are
 * allowed by the type (`[keyword: string]: unknown`) for non-strict use.
 */
export interface JSONSchema {
  type?: JSONSchemaTypeName | readonly JSONSchemaTypeName[];
  properties?: Readonly<Record<string, JSONSchemaDefinition>>;
  required?: readonly string[];
  additionalProperties?: JSONSchemaDefinition;
  items?: JSONSchemaDefinition | readonly JSONSchemaDefinition[];
  enum?: readonly unknown[];
  const?: unknown;
  anyOf?: readonly JSONSchemaDefinition[];
  oneOf?: readonly JSONSchemaDefinition[];
  allOf?: readonly JSONSchemaDefinition[];
  not?: JSONSchemaDefinition;
  $ref?: string;
  $defs?: Readonly<Record<string, JSONSchemaDefinition>>;
  definitions?: Readonly<Record<string, JSONSchemaDefinition>>;
  $schema?: string;
  $id?: string;
  $comment?: string;
  title?: string;
  description?: string;
  default?: unknown;
  examples?: readonly unknown[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minItems?: number;
  maxItems?: number;
  [keyword: string]: unknown;
}
