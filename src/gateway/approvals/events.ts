import type { Logger } from '../log.js';
import type { ApprovalRecord } from './store.js';

/**
 * What `GET /approvals/stream` sends and the editor's notifications listen for: a request that
 * started waiting (`pending`) or one that ended (`resolved`, whatever its final status).
 */
export interface ApprovalEvent {
  type: 'pending' | 'resolved';
  approval: ApprovalRecord;
}

/** The SSE event name of each type (`event: approval.requested|approval.resolved`). */
export const EVENT_NAMES: Record<ApprovalEvent['type'], string> = { pending: 'approval.requested', resolved: 'approval.resolved' };

export type ApprovalListener = (event: ApprovalEvent) => void;

/** Fan-out to listeners, synchronously and in order; a listener that throws is logged and the others still run. */
export class ApprovalEvents {
  private readonly listeners = new Set<ApprovalListener>();

  constructor(private readonly logger?: Logger) {}

  /** @returns the function that removes this listener */
  subscribe(listener: ApprovalListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  emit(event: ApprovalEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger?.error('approval event listener failed', {
          type: event.type,
          id: event.approval.id,
          reason: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }
}
