import { APIError as OfficialAPIError } from 'openai';
import { describe, expect, it } from 'vitest';
import {
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  OpenAIError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
  createChatCompletion,
  parseServerSentEvents,
} from '../src/index.js';
import { makeAPIError } from '../src/errors.js';
import { useLocalAPI } from './server/setup.js';
import { caught, readAll } from './helpers/streams.js';

// The official SDK's status classes, under APIError with the same names, so that code moving
// from it keeps its `instanceof` checks; each picked from the status of a real HTTP answer,
// to a streamed request as to a whole one.
const { api, requestOptions } = useLocalAPI();
const options = requestOptions({ apiKey: 'sk-status-classes' });
const ask = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }] };

const CLASSES = [
  [400, BadRequestError],
  [401, AuthenticationError],
  [403, PermissionDeniedError],
  [404, NotFoundError],
  [409, ConflictError],
  [422, UnprocessableEntityError],
  [429, RateLimitError],
  [500, InternalServerError],
  [502, InternalServerError],
  [503, InternalServerError],
  [599, InternalServerError],
] as const;

describe('each status with a class of its own', () => {
  for (const [status, StatusClass] of CLASSES) {
    for (const stream of [false, true]) {
      it(`${status}${stream ? ', to a streamed request' : ''}: ${StatusClass.name}, an APIError and an OpenAIError`, async () => {
        api.faults.push({ status });
        const error = await caught(createChatCompletion({ ...ask, stream }, options));
        expect(error).toBeInstanceOf(StatusClass);
        expect(error).toBeInstanceOf(APIError);
        expect(error).toBeInstanceOf(OpenAIError);
        const apiError = error as APIError;
        expect(apiError.name).toBe(StatusClass.name);
        expect(apiError.status).toBe(status);
        expect(apiError.message).toBe(`${status} The local API was told to fail with ${status}.`);
        expect(apiError.requestId).toMatch(/^req_fake/);
        expect(api.requests.map((request) => (request.body as { stream?: boolean }).stream)).toEqual([stream]);
      });
    }
  }
});

describe('other statuses', () => {
  for (const status of [402, 405, 408, 413, 418]) {
    it(`${status}: a plain APIError`, async () => {
      api.faults.push({ status });
      const error = await caught(createChatCompletion(ask, options));
      expect(error.constructor).toBe(APIError);
      expect(error.name).toBe('APIError');
      expect((error as APIError).status).toBe(status);
    });
  }

  it('an error event in a 200 stream: a plain APIError, as the official SDK raises it', async () => {
    const text = 'event: error\ndata: {"error":{"message":"Overloaded","type":"server_error","code":null,"param":null}}\n\n';
    const { error } = await readAll(parseServerSentEvents(new Response(text).body!));
    expect(error?.constructor).toBe(APIError);
    expect(error?.message).toBe('200 Overloaded');
  });
});

describe('the same mapping as the official SDK', () => {
  it('gives every status from 400 to 599 the class the official SDK gives it, by name', () => {
    const info = (status: number) => ({ status, headers: {}, requestId: undefined });
    for (let status = 400; status < 600; status++) {
      const official = OfficialAPIError.generate(status, { error: { message: 'm' } }, undefined, new Headers());
      expect(makeAPIError(info(status), { message: 'm' }).name, String(status)).toBe(official.constructor.name);
    }
  });
});
