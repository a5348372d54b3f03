/**
 * The envelope every webview message travels in, shared by the extension host and the views.
 *
 * A view's protocol is data: its requests (method → params schema and result schema, so a request
 * carries its response type), the notifications the view sends the host and those the host sends the
 * view. Both ends parse what they receive with these schemas: a malformed message is dropped with a
 * reason (the caller logs it), never thrown. The idea follows GitLens' `src/webviews/protocol.ts`.
 *
 * Wire shapes (JSON, structured-clone safe):
 * - view → host: `{kind: 'request', id, method, params}` | `{kind: 'notify', method, params}`
 * - host → view: `{kind: 'response', id, method, ok: true, result}`
 *   | `{kind: 'response', id, method, ok: false, error: WireError}` | `{kind: 'notify', method, params}`
 */
import { z } from 'zod';

/** An error as the view sees it: a gateway `ApiError` (with its HTTP status and details) or a local one. */
export const wireErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  /** The gateway's HTTP status, when the error came from it. */
  status: z.number().int().optional(),
  /** The gateway's field-level details (`path` as the body field, dotted). */
  details: z.array(z.object({ path: z.string(), message: z.string() })),
});
export type WireError = z.infer<typeof wireErrorSchema>;

export interface RequestSpec<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  readonly params: P;
  readonly result: R;
}

export interface ViewProtocol<
  Q extends Record<string, RequestSpec> = Record<string, RequestSpec>,
  H extends Record<string, z.ZodType> = Record<string, z.ZodType>,
  V extends Record<string, z.ZodType> = Record<string, z.ZodType>,
> {
  /** The view's name, used in logged reasons. */
  readonly name: string;
  readonly requests: Q;
  /** Notifications the view sends the host. */
  readonly toHost: H;
  /** Notifications the host sends the view. */
  readonly toView: V;
}

/** Declares a view protocol; the object is returned as is, typed. */
export function defineProtocol<Q extends Record<string, RequestSpec>, H extends Record<string, z.ZodType>, V extends Record<string, z.ZodType>>(
  protocol: ViewProtocol<Q, H, V>,
): ViewProtocol<Q, H, V> {
  return protocol;
}

export type AnyProtocol = ViewProtocol<Record<string, RequestSpec>, Record<string, z.ZodType>, Record<string, z.ZodType>>;
export type MethodOf<P extends AnyProtocol> = keyof P['requests'] & string;
export type ParamsOf<P extends AnyProtocol, M extends MethodOf<P>> = z.infer<P['requests'][M]['params']>;
export type ResultOf<P extends AnyProtocol, M extends MethodOf<P>> = z.infer<P['requests'][M]['result']>;
export type HostNoteOf<P extends AnyProtocol> = keyof P['toHost'] & string;
export type ViewNoteOf<P extends AnyProtocol> = keyof P['toView'] & string;

export type RequestMessage<P extends AnyProtocol> = {
  [M in MethodOf<P>]: { kind: 'request'; id: number; method: M; params: ParamsOf<P, M> };
}[MethodOf<P>];
export type HostNotification<P extends AnyProtocol> = {
  [M in HostNoteOf<P>]: { kind: 'notify'; method: M; params: z.infer<P['toHost'][M]> };
}[HostNoteOf<P>];
export type ViewNotification<P extends AnyProtocol> = {
  [M in ViewNoteOf<P>]: { kind: 'notify'; method: M; params: z.infer<P['toView'][M]> };
}[ViewNoteOf<P>];
export type ErrorResponse = { kind: 'response'; id: number; method: string; ok: false; error: WireError };
export type ResponseMessage<P extends AnyProtocol> =
  { [M in MethodOf<P>]: { kind: 'response'; id: number; method: M; ok: true; result: ResultOf<P, M> } }[MethodOf<P>] | ErrorResponse;

/** What the view sends the host: the discriminated union of its requests and notifications. */
export type ToHostMessage<P extends AnyProtocol> = RequestMessage<P> | HostNotification<P>;
/** What the host sends the view. */
export type ToViewMessage<P extends AnyProtocol> = ResponseMessage<P> | ViewNotification<P>;

export type Parsed<T> = { ok: true; message: T } | { ok: false; reason: string };

const requestEnvelope = z.strictObject({ kind: z.literal('request'), id: z.number().int().nonnegative(), method: z.string(), params: z.unknown() });
const notifyEnvelope = z.strictObject({ kind: z.literal('notify'), method: z.string(), params: z.unknown() });
const responseEnvelope = z.strictObject({
  kind: z.literal('response'),
  id: z.number().int().nonnegative(),
  method: z.string(),
  ok: z.boolean(),
  result: z.unknown().optional(),
  error: z.unknown().optional(),
});

/** One line per zod issue, `path: message` (the path dotted, `(root)` for the value itself). */
export function describeIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .map((issue) => {
      const where = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
      return `${where || '(root)'}: ${issue.message}`;
    })
    .join('; ');
}

function kindOf(raw: unknown): unknown {
  return raw !== null && typeof raw === 'object' ? (raw as { kind?: unknown }).kind : undefined;
}

/**
 * Parses a message the host received from the view. Never throws: a malformed message gives
 * `{ok: false, reason}` naming the view, the method and the offending field.
 */
export function parseToHost<P extends AnyProtocol>(protocol: P, raw: unknown): Parsed<ToHostMessage<P>> {
  const where = `${protocol.name} view → host`;
  const kind = kindOf(raw);
  if (kind === 'request') {
    const envelope = requestEnvelope.safeParse(raw);
    if (!envelope.success) return { ok: false, reason: `${where}: malformed request: ${describeIssues(envelope.error)}` };
    const spec = Object.hasOwn(protocol.requests, envelope.data.method) ? protocol.requests[envelope.data.method] : undefined;
    if (!spec) return { ok: false, reason: `${where}: unknown request method "${envelope.data.method}"` };
    const params = spec.params.safeParse(envelope.data.params);
    if (!params.success) return { ok: false, reason: `${where}: request "${envelope.data.method}": ${describeIssues(params.error, 'params')}` };
    return { ok: true, message: { ...envelope.data, params: params.data } as ToHostMessage<P> };
  }
  if (kind === 'notify') return parseNotification(protocol.toHost, raw, where) as Parsed<ToHostMessage<P>>;
  return { ok: false, reason: `${where}: "kind" must be "request" or "notify", got ${JSON.stringify(kind) ?? 'nothing'}` };
}

/**
 * Parses a message the view received from the host. Never throws. An error response needs only a
 * well-formed error (its method may be one the view does not know: the id settles it).
 */
export function parseToView<P extends AnyProtocol>(protocol: P, raw: unknown): Parsed<ToViewMessage<P>> {
  const where = `host → ${protocol.name} view`;
  const kind = kindOf(raw);
  if (kind === 'response') {
    const envelope = responseEnvelope.safeParse(raw);
    if (!envelope.success) return { ok: false, reason: `${where}: malformed response: ${describeIssues(envelope.error)}` };
    const { id, method, ok } = envelope.data;
    if (!ok) {
      const error = wireErrorSchema.safeParse(envelope.data.error);
      if (!error.success) return { ok: false, reason: `${where}: error response to "${method}": ${describeIssues(error.error, 'error')}` };
      return { ok: true, message: { kind: 'response', id, method, ok: false, error: error.data } };
    }
    const spec = Object.hasOwn(protocol.requests, method) ? protocol.requests[method] : undefined;
    if (!spec) return { ok: false, reason: `${where}: response to unknown method "${method}"` };
    const result = spec.result.safeParse(envelope.data.result);
    if (!result.success) return { ok: false, reason: `${where}: response to "${method}": ${describeIssues(result.error, 'result')}` };
    return { ok: true, message: { kind: 'response', id, method, ok: true, result: result.data } as ToViewMessage<P> };
  }
  if (kind === 'notify') return parseNotification(protocol.toView, raw, where) as Parsed<ToViewMessage<P>>;
  return { ok: false, reason: `${where}: "kind" must be "response" or "notify", got ${JSON.stringify(kind) ?? 'nothing'}` };
}

function parseNotification(table: Record<string, z.ZodType>, raw: unknown, where: string): Parsed<{ kind: 'notify'; method: string; params: unknown }> {
  const envelope = notifyEnvelope.safeParse(raw);
  if (!envelope.success) return { ok: false, reason: `${where}: malformed notification: ${describeIssues(envelope.error)}` };
  const schema = Object.hasOwn(table, envelope.data.method) ? table[envelope.data.method] : undefined;
  if (!schema) return { ok: false, reason: `${where}: unknown notification "${envelope.data.method}"` };
  const params = schema.safeParse(envelope.data.params);
  if (!params.success) return { ok: false, reason: `${where}: notification "${envelope.data.method}": ${describeIssues(params.error, 'params')}` };
  return { ok: true, message: { kind: 'notify', method: envelope.data.method, params: params.data } };
}
