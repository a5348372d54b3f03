import { fetchEntityNames } from '../entity-names.js';
import { HISTORY_PAGE, type ApprovalsProtocol } from '../approvals-protocol.js';
import type { ClientSource } from './client-source.js';
import type { Handlers } from './host-channel.js';
import { resolveOnce } from './approvals-resolve.js';
import type { HostContext } from './host-context.js';

/**
 * The Approvals view's requests, one REST call each, and the live relay: `approvals/subscribe`
 * opens the approvals stream through the source's client and forwards each event to this view
 * (`approvals/event`) and each (re)connection (`approvals/stream` `open`: the view reloads the
 * pending list, the stream does not replay). The stream closes with the view, or on a new subscribe.
 */
export function approvalsHandlers(source: ClientSource, ctx: HostContext<ApprovalsProtocol>): Handlers<ApprovalsProtocol> {
  let stream: { close(): void } | undefined;
  ctx.onDispose(() => {
    stream?.close();
    stream = undefined;
  });
  return {
    'approvals/pending': () => source.client().listApprovals({}),
    'approvals/history': ({ status, offset }) => source.client().listApprovals({ status, limit: HISTORY_PAGE, offset: offset ?? 0 }),
    'approvals/resolve': async ({ id, approved, resolution }) => {
      const outcome = await resolveOnce(source.client(), id, { approved, ...(resolution?.trim() ? { resolution: resolution.trim() } : {}) });
      return outcome.ok
        ? { ok: true as const, result: { status: outcome.status, approval: outcome.approval } }
        : { ok: false as const, approval: outcome.approval, message: outcome.message };
    },
    'approvals/names': () => fetchEntityNames(source.client()),
    'approvals/subscribe': async () => {
      stream?.close();
      const opened = source.client().approvalStream();
      stream = opened;
      opened.onEvent((event) => ctx.notify('approvals/event', event));
      opened.onStatus((status) => ctx.notify('approvals/stream', { status }));
      return {};
    },
  };
}
