import type { z } from 'zod';
import type { AuditRecord } from '../../schemas/audit.js';
import { fetchEntityNames } from '../entity-names.js';
import type { AuditProtocol } from '../audit-protocol.js';
import type { ViewNoteOf } from '../protocol.js';
import type { ClientSource } from './client-source.js';
import type { Handlers } from './host-channel.js';
import type { HostContext } from './host-context.js';

/** The Audit view's host context (this view instance's notify and disposal). */
export type AuditHostContext = HostContext<AuditProtocol>;

/**
 * Records arriving within this window go to the view in one message (ms): a burst of calls costs
 * the view a few renders, not one per record, and a lone record waits no longer than this.
 */
export const RELAY_WINDOW_MS = 25;

/** What the handlers need of the stream `RestClient.auditStream` returns (a test hands in a double). */
export interface AuditStreamLike {
  onEvent(listener: (record: AuditRecord) => void): () => void;
  onStatus(listener: (status: 'open' | 'reconnecting' | 'closed') => void): () => void;
  onError(listener: (error: Error) => void): () => void;
  readonly status: 'open' | 'reconnecting' | 'closed';
  close(): void;
}

/**
 * The Audit view's requests. The live stream is held here, one per view instance: `audit/subscribe`
 * replaces it (a new filter), `audit/unsubscribe` and the view's going close it. The stream itself
 * resumes with `Last-Event-ID` after a drop (the gateway replays what was missed); records are
 * relayed in order, in batches, tagged with the view's subscription number.
 */
export function auditHandlers(source: ClientSource, ctx: AuditHostContext): Handlers<AuditProtocol> {
  let current: { stream: AuditStreamLike; flush: () => void; timer?: ReturnType<typeof setTimeout> } | undefined;

  const close = () => {
    if (!current) return;
    const closing = current;
    current = undefined;
    if (closing.timer) clearTimeout(closing.timer);
    closing.stream.close();
  };
  ctx.onDispose(close);

  return {
    'audit/list': ({ filter, limit, offset }) => source.client().listAudit({ ...filter, limit, offset }),
    'audit/subscribe': async ({ subscription, filter, lastEventId }) => {
      const client = source.client();
      close();
      const stream: AuditStreamLike = client.auditStream({ filter, lastEventId });
      let batch: AuditRecord[] = [];
      const entry: NonNullable<typeof current> = {
        stream,
        flush: () => {
          entry.timer = undefined;
          if (batch.length === 0 || current !== entry) return;
          const records = batch;
          batch = [];
          ctx.notify('audit/records', { subscription, records });
        },
      };
      current = entry;
      stream.onEvent((record) => {
        batch.push(record);
        entry.timer ??= setTimeout(entry.flush, RELAY_WINDOW_MS);
      });
      stream.onStatus((status) => {
        // Records received before a drop go first, so the view sees them before the status.
        if (status !== 'open') entry.flush();
        if (current === entry) ctx.notify('audit/stream', { subscription, status });
      });
      // A failed attempt (it retries by itself) or a skipped event: said with the current status.
      stream.onError((error) => {
        if (current === entry) ctx.notify('audit/stream', { subscription, status: stream.status, error: error.message });
      });
      return {};
    },
    'audit/unsubscribe': async () => {
      close();
      return {};
    },
    'audit/names': () => fetchEntityNames(source.client()),
    'audit/workspaces': () => source.client().listWorkspaces(),
  };
}
