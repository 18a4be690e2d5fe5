// `openai-chat-fetch/fake`: the in-memory API for users' own tests. A separate entry, so
// the main one does not carry it.
export { createFakeOpenAI } from './handler.js';
export type {
  FakeAnswer,
  FakeOpenAI,
  FakeOpenAIOptions,
  FakeReply,
  FakeToolCall,
  Fault as FakeFault,
  RecordedRequest as FakeRequest,
  StreamRecord as FakeStreamRecord,
} from './handler.js';
