/** Query values as the API documents them; `metadata` is a deepObject (`metadata[k]=v`). */
export type QueryInput = Record<string, unknown>;

/** Joins `baseURL` (trailing slash optional) and `path`, then appends the query parameters of each record. */
export function buildURL(baseURL: string, path: string, ...queries: (QueryInput | undefined)[]): string {
  const params = new URLSearchParams();
  const add = (name: string, value: any): unknown =>
    // `undefined` and `null` mean "not given"; the spec's `style: deepObject` for metadata is
    // one `name[key]=value` pair per entry.
    value != null && (typeof value == 'object' ? Object.keys(value).map((key) => add(`${name}[${key}]`, value[key])) : params.set(name, value));
  for (const query of queries) for (const name in query) add(name, query[name]);
  const search = `${params}`;
  return baseURL.replace(/\/+$/, '') + path + (search && '?' + search);
}
