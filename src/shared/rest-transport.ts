/**
 * The transport under `RestClient`: one request to the gateway's /api/v1 with the token (when there
 * is one), JSON in and out, errors as `ApiError`. Only `fetch`: no Node or DOM specifics.
 */
import { ApiError, errorBodyOf, type RawResponse } from './api-error.js';
import { SseStream, type SseStreamOptions } from './sse-stream.js';

/** What `raw` sends: a JSON body (a string goes as is), a query, and headers (`null` leaves one out, e.g. `authorization`). */
export interface RawRequest {
  body?: unknown;
  query?: Record<string, string | readonly string[] | undefined>;
  headers?: Record<string, string | null>;
}

/** `DELETE` of an entity that others refer to: `cascade` removes or detaches them (else 409). */
export interface DeleteOptions {
  cascade?: boolean;
}

/** A path segment (an id or a name), encoded. */
export const seg = (ref: string) => encodeURIComponent(ref);

/**
 * @param baseUrl the gateway's origin (`http://127.0.0.1:8080`; `''` for the page's own origin)
 * @param token its API token (`<dataDir>/api-token`); undefined in the browser page, whose `fetch`
 *   adds its session header
 */
export class RestTransport {
  constructor(
    readonly baseUrl: string,
    protected readonly token: string | undefined,
    protected readonly fetchImpl: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  /** Any request under /api/v1, answered whatever its status (never throws ApiError for a status). */
  async raw<T = unknown>(method: string, path: string, request: RawRequest = {}): Promise<RawResponse<T>> {
    const merged: Record<string, string | null> = {
      ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...request.headers,
    };
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(merged)) if (value !== null) headers[name] = value;
    const body = request.body === undefined ? undefined : typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    let response: Response;
    try {
      response = await this.fetchImpl(this.url(path, request.query), { method, headers, body });
    } catch (error) {
      const reason = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
      throw new ApiError(0, undefined, `the MCPlexer gateway at ${this.baseUrl} did not answer ${method} ${path}: ${reason}`, 'unreachable');
    }
    const text = await response.text();
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text; // not JSON (a proxy's page, a plain-text error): kept as text
      }
    }
    return { status: response.status, body: parsed as T, text, headers: response.headers };
  }

  /**
   * A request whose answer must be 2xx; resolves to its body.
   * @throws ApiError (see the class)
   */
  async request<T>(method: string, path: string, request: RawRequest = {}): Promise<T> {
    const answer = await this.raw<T>(method, path, request);
    if (answer.status >= 200 && answer.status < 300) return answer.body;
    const error = errorBodyOf(answer.body);
    const message = error?.error.message ?? `HTTP ${answer.status} from ${method} /api/v1${path}`;
    throw new ApiError(answer.status, error, message);
  }

  /** The full URL of an /api/v1 path with its query (a stream's URL, too). */
  protected url(path: string, query: RawRequest['query']): string {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      for (const item of typeof value === 'string' ? [value] : value) search.append(key, item);
    }
    const qs = search.toString();
    return `${this.baseUrl}/api/v1${path}${qs ? `?${qs}` : ''}`;
  }

  /** One of the gateway's SSE streams under /api/v1, read with this client's token and fetch. */
  protected stream<T>(path: string, query: RawRequest['query'], options: StreamOptions, parse: SseStreamOptions<T>['parse']): SseStream<T> {
    return new SseStream<T>({ ...options, url: this.url(path, query), token: this.token, fetchImpl: this.fetchImpl, parse });
  }
}

/** What a stream's caller may set (the URL, token and fetch come from the client). */
export type StreamOptions = Omit<SseStreamOptions<never>, 'url' | 'token' | 'fetchImpl' | 'parse'>;

/** A query object as text parameters (numbers written out, undefined left out). */
export function textQuery(query: object): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(query)) if (value !== undefined) out[key] = String(value);
  return out;
}

/** `?cascade=` of a `DELETE` when the caller said. */
export function cascadeQuery(options: DeleteOptions): RawRequest {
  return options.cascade === undefined ? {} : { query: { cascade: String(options.cascade) } };
}
