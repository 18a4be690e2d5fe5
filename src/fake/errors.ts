/** The API's error body, `{ error: { message, type, param, code } }`, as a JSON Response. */
export interface ErrorFields {
  type?: string;
  param?: string | null;
  code?: string | null;
}

export function errorResponse(status: number, message: string, fields: ErrorFields = {}, headers: Record<string, string> = {}): Response {
  const error = { message, type: fields.type ?? 'invalid_request_error', param: fields.param ?? null, code: fields.code ?? null };
  return Response.json({ error }, { status, headers });
}

export const notFound = (id: string) => errorResponse(404, `No chat completion found with id '${id}'.`, { code: 'not_found' });

export const invalidURL = (method: string, path: string) => errorResponse(404, `Invalid URL (${method} ${path})`);

export const badRequest = (message: string, param: string | null = null, code: string | null = null) => errorResponse(400, message, { param, code });
