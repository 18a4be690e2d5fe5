// The hand-written contract types, split by the API's own nouns. Types only: no runtime code.
export type * from './messages.js';
export type * from './models.js';
export type * from './options.js';
export type * from './request.js';
export type * from './response-format.js';
export type * from './web-search.js';
export type * from './response.js';
export type * from './stored.js';
export type * from './tools.js';
export type * from './standard-schema.js';
export type * from './json-schema.js';
