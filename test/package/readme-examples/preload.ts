// Loaded before a README block (`node --import tsx --import ./preload.ts`, and as vitest's setup
// file): the global fetch becomes the package's fake, so every call the block makes is answered
// in memory, and nothing reaches the network whatever options the block passes.
import { createFakeOpenAI } from '../../../src/fake/index.js';

globalThis.fetch = createFakeOpenAI();
