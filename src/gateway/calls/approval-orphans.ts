import type { ApprovalService } from '../approvals/index.js';
import type { Logger } from '../log.js';
import type { RuntimeConfig } from './runtime-config.js';

interface ConfigChanges {
  on(event: 'change', listener: (next: RuntimeConfig, previous: RuntimeConfig) => void): unknown;
}

/**
 * Keeps pending approvals in step with the config: when a change removes the workspace a request
 * was made in or the server it would call (a `?cascade=true` DELETE, a YAML edit), the request is
 * cancelled with that reason, and its call answered at once instead of waiting for an answer that
 * could only be refused (ORIGINAL.md: the original's DELETE of a workspace or a server marks its
 * pending approvals `cancelled`). A change that keeps both leaves the request waiting; whatever
 * else changed is judged when it is approved (`steps/route-again.ts`).
 */
export function cancelOrphanedApprovals(runtime: ConfigChanges, approvals: ApprovalService, logger?: Logger): void {
  runtime.on('change', (next, previous) => {
    const { workspaces, downstreams } = next.state;
    if (workspaces === previous.state.workspaces && downstreams === previous.state.downstreams) return;
    const workspaceIds = new Set(workspaces.map((w) => w.id));
    const serverIds = new Set(downstreams.map((s) => s.id));
    approvals
      .cancelWhere((record) => {
        if (!workspaceIds.has(record.workspace_id)) return `workspace "${record.workspace_name}" was deleted`;
        if (record.downstream_server_id !== null && !serverIds.has(record.downstream_server_id)) return `server ${record.downstream_server_id} was deleted`;
        return undefined;
      })
      .then((count) => {
        if (count > 0) logger?.info('pending approvals cancelled: their workspace or server was deleted', { count });
      })
      .catch((error: unknown) => logger?.error('pending approvals could not be cancelled', { reason: error instanceof Error ? error.message : String(error) }));
  });
}
