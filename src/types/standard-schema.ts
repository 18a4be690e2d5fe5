// Standard Schema v1 and Standard JSON Schema v1 (https://standardschema.dev), declared here
// from the published interface spec so that no schema library is a dependency: zod 4.2+,
// arktype 2.2+ and valibot (with its converter) implement them. Types only.

/** The base both standards extend: a vendor, a version and, for inference, the types. */
export interface StandardTypedV1<Input = unknown, Output = Input> {
  /** The Standard properties. */
  readonly '~standard': StandardTypedV1.Props<Input, Output>;
}

export declare namespace StandardTypedV1 {
  /** The properties every standard shares. */
  interface Props<Input = unknown, Output = Input> {
    /** The version of the standard. Always 1. */
    readonly version: 1;
    /** The schema library's name, e.g. `zod`. */
    readonly vendor: string;
    /** The input and output types, for inference only (absent at run time). */
    readonly types?: Types<Input, Output> | undefined;
  }
  /** The types a schema accepts and produces. */
  interface Types<Input = unknown, Output = Input> {
    /** What the schema accepts. */
    readonly input: Input;
    /** What validation produces. */
    readonly output: Output;
  }
  /** The input type of a schema. */
  type InferInput<Schema extends StandardTypedV1> = NonNullable<Schema['~standard']['types']>['input'];
  /** The output type of a schema. */
  type InferOutput<Schema extends StandardTypedV1> = NonNullable<Schema['~standard']['types']>['output'];
}

/** A validator: `~standard.validate(value)` returns the typed value or the issues. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  /** The Standard Schema properties. */
  readonly '~standard': StandardSchemaV1.Props<Input, Output>;
}

export declare namespace StandardSchemaV1 {
  /** The Standard Schema properties. */
  interface Props<Input = unknown, Output = Input> extends StandardTypedV1.Props<Input, Output> {
    /** Validates an unknown value, synchronously or not. */
    readonly validate: (value: unknown, options?: Options | undefined) => Result<Output> | Promise<Result<Output>>;
  }
  /** What `validate` returns: the value, or the issues. */
  type Result<Output> = SuccessResult<Output> | FailureResult;
  /** Validation succeeded. */
  interface SuccessResult<Output> {
    /** The typed value. */
    readonly value: Output;
    /** Absent (or falsy) on success. */
    readonly issues?: undefined;
  }
  /** Options of `validate`. */
  interface Options {
    /** Options of a particular schema library. */
    readonly libraryOptions?: Record<string, unknown> | undefined;
  }
  /** Validation failed. */
  interface FailureResult {
    /** What is wrong, one issue each. */
    readonly issues: ReadonlyArray<Issue>;
  }
  /** One problem found by validation. */
  interface Issue {
    /** What is wrong, for people. */
    readonly message: string;
    /** Where in the value, from the root: keys and indexes. */
    readonly path?: ReadonlyArray<PropertyKey | PathSegment> | undefined;
  }
  /** A path segment given as an object. */
  interface PathSegment {
    /** The key or index. */
    readonly key: PropertyKey;
  }
  /** The input and output types. */
  type Types<Input = unknown, Output = Input> = StandardTypedV1.Types<Input, Output>;
  /** The input type of a schema. */
  type InferInput<Schema extends StandardTypedV1> = StandardTypedV1.InferInput<Schema>;
  /** The output type of a schema. */
  type InferOutput<Schema extends StandardTypedV1> = StandardTypedV1.InferOutput<Schema>;
}

/** A schema that can describe itself as JSON Schema: `~standard.jsonSchema.input({ target })`. */
export interface StandardJSONSchemaV1<Input = unknown, Output = Input> {
  /** The Standard JSON Schema properties. */
  readonly '~standard': StandardJSONSchemaV1.Props<Input, Output>;
}

export declare namespace StandardJSONSchemaV1 {
  /** The Standard JSON Schema properties. */
  interface Props<Input = unknown, Output = Input> extends StandardTypedV1.Props<Input, Output> {
    /** Converts the schema's input or output type to JSON Schema. */
    readonly jsonSchema: Converter;
  }
  /** The converters; each may throw when a type has no JSON Schema form. */
  interface Converter {
    /** The JSON Schema of what the schema accepts. */
    readonly input: (options: Options) => Record<string, unknown>;
    /** The JSON Schema of what validation produces. */
    readonly output: (options: Options) => Record<string, unknown>;
  }
  /**
   * The JSON Schema dialect to produce: `draft-2020-12` and `draft-07` are widely supported,
   * others best effort (a library throws for one it lacks).
   */
  type Target = 'draft-2020-12' | 'draft-07' | 'openapi-3.0' | (string & {});
  /** Options of the converters. */
  interface Options {
    /** The dialect to produce. */
    readonly target: Target;
    /** Options of a particular schema library. */
    readonly libraryOptions?: Record<string, unknown> | undefined;
  }
  /** The input and output types. */
  type Types<Input = unknown, Output = Input> = StandardTypedV1.Types<Input, Output>;
  /** The input type of a schema. */
  type InferInput<Schema extends StandardTypedV1> = StandardTypedV1.InferInput<Schema>;
  /** The output type of a schema. */
  type InferOutput<Schema extends StandardTypedV1> = StandardTypedV1.InferOutput<Schema>;
}

/**
 * What `jsonSchemaFormat` and `functionTool` accept from a schema library: a validator that
 * also describes itself as JSON Schema (zod 4.2+, arktype 2.2+, valibot with its converter).
 */
export interface StandardJSONSchemaValidator<Input = unknown, Output = Input> {
  /** Both standards' properties. */
  readonly '~standard': StandardSchemaV1.Props<Input, Output> & StandardJSONSchemaV1.Props<Input, Output>;
}
