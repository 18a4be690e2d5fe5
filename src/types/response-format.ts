// The `response_format` of a request: text, any JSON object, or a JSON Schema (Structured Outputs).

/** Default response format: text. */
export interface ResponseFormatText {
  /** The type of response format. Always `text`. */
  type: 'text';
}

/**
 * JSON mode, the older way to get JSON: the message is valid JSON. Prefer `json_schema`; the
 * model only writes JSON when a system or user message also asks for it.
 */
export interface ResponseFormatJSONObject {
  /** The type of response format. Always `json_object`. */
  type: 'json_object';
}

/** The schema of a JSON Schema response format, as a JSON Schema object. */
export type ResponseFormatJSONSchemaSchema = Record<string, unknown>;

/** Structured Outputs options, including the JSON Schema. */
export interface ResponseFormatJSONSchemaConfig {
  /** What the response format is for; the model reads it to decide how to respond. */
  description?: string;
  /** The format's name: a-z, A-Z, 0-9, `_` and `-`, at most 64 characters. */
  name: string;
  /** The JSON Schema the output follows. */
  schema?: ResponseFormatJSONSchemaSchema;
  /**
   * Follow `schema` exactly (a subset of JSON Schema is supported when true). Default false.
   */
  strict?: boolean | null;
}

/** Structured Outputs: the message matches your JSON Schema. */
export interface ResponseFormatJSONSchema {
  /** The type of response format. Always `json_schema`. */
  type: 'json_schema';
  /** The name, schema and strictness. */
  json_schema: ResponseFormatJSONSchemaConfig;
}

/** The format the model's output follows, by `type`: text, a JSON Schema, or any JSON object. */
export type ChatCompletionResponseFormat = ResponseFormatText | ResponseFormatJSONSchema | ResponseFormatJSONObject;
