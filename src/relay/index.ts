// `openai-chat-fetch/relay`: the handler that lets pages use this SDK with the key on the
// server. A separate entry, so that no app that does not import it carries it.
export { createRelay } from './relay.js';
export { memoryRateLimit } from './rate-limit.js';
export type { MemoryRateLimitOptions } from './rate-limit.js';
export { toNodeListener } from './node.js';
export type { NodeIncomingMessage, NodeServerResponse } from './node.js';
export type { RateLimitRequest, RateLimitVerdict, RelayErrorReport, RelayModels, RelayOptions, RelayUser, UsageReport } from './types.js';
