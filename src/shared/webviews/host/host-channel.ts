/**
 * The host end of one webview's channel: parses what the view sends (protocol.ts), runs the request
 * handler, checks the answer against the request's result schema and posts the response with the
 * request's id; a notification for the view is checked before it is posted. A malformed message is
 * dropped with a logged reason; a malformed request that still carries an id is answered with an
 * `invalid_message` error, so the view's pending call settles instead of waiting forever.
 * No `vscode` import: the provider hands in `post` and the log.
 */
import type { z } from 'zod';
import {
  describeIssues,
  parseToHost,
  type AnyProtocol,
  type HostNotification,
  type MethodOf,
  type ParamsOf,
  type ToViewMessage,
  type ViewNoteOf,
} from '../protocol.js';
import { toWireError } from './wire-error.js';

export type Handlers<P extends AnyProtocol> = { [M in MethodOf<P>]: (params: ParamsOf<P, M>) => Promise<unknown> };

export interface ChannelLog {
  warn(message: string): void;
  error(message: string): void;
}

export class HostChannel<P extends AnyProtocol> {
  constructor(
    private readonly protocol: P,
    private readonly handlers: Handlers<P>,
    private readonly post: (message: ToViewMessage<P>) => unknown,
    private readonly log: ChannelLog,
    private readonly onNotification: (message: HostNotification<P>) => void = () => undefined,
  ) {}

  /** Handles one raw message from the view; resolves once its response (if any) is posted. Never throws. */
  async receive(raw: unknown): Promise<void> {
    const parsed = parseToHost(this.protocol, raw);
    if (!parsed.ok) {
      this.log.warn(`dropped a message: ${parsed.reason}`);
      this.answerMalformed(raw, parsed.reason);
      return;
    }
    const message = parsed.message;
    if (message.kind === 'notify') {
      this.onNotification(message as HostNotification<P>);
      return;
    }
    const { id, method } = message;
    const handler = this.handlers[method as MethodOf<P>] as (params: unknown) => Promise<unknown>;
    try {
      const answer = await handler(message.params);
      const result = this.protocol.requests[method]!.result.safeParse(answer);
      if (result.success) {
        this.post({ kind: 'response', id, method, ok: true, result: result.data } as ToViewMessage<P>);
      } else {
        const reason = `the answer to "${method}" has an unexpected shape: ${describeIssues(result.error, 'result')}`;
        this.log.error(`${this.protocol.name} view: ${reason}`);
        this.post({ kind: 'response', id, method, ok: false, error: { code: 'unexpected_answer', message: reason, details: [] } });
      }
    } catch (error) {
      const wire = toWireError(error);
      // Gateway refusals (4xx) are the user's to read in the view; anything else is also logged.
      if (wire.status === undefined || wire.status >= 500) this.log.error(`${this.protocol.name} view: "${method}" failed: ${wire.message}`);
      this.post({ kind: 'response', id, method, ok: false, error: wire });
    }
  }

  /** Posts a notification after checking it; an invalid one is logged and not sent (returns false). */
  notify<M extends ViewNoteOf<P>>(method: M, params: z.input<P['toView'][M]>): boolean {
    const checked = this.protocol.toView[method]!.safeParse(params);
    if (!checked.success) {
      this.log.error(`${this.protocol.name} view: not sending "${method}": ${describeIssues(checked.error, 'params')}`);
      return false;
    }
    this.post({ kind: 'notify', method, params: checked.data } as ToViewMessage<P>);
    return true;
  }

  private answerMalformed(raw: unknown, reason: string): void {
    const candidate = raw as { kind?: unknown; id?: unknown; method?: unknown } | null;
    if (candidate === null || typeof candidate !== 'object' || candidate.kind !== 'request') return;
    if (typeof candidate.id !== 'number' || !Number.isInteger(candidate.id) || candidate.id < 0) return;
    const method = typeof candidate.method === 'string' ? candidate.method : '';
    this.post({ kind: 'response', id: candidate.id, method, ok: false, error: { code: 'invalid_message', message: reason, details: [] } });
  }
}
