import { randomUUID } from 'node:crypto';
import { ArgumentRedactor, type RedactionFor } from '../audit/index.js';
import { conflict, GatewayError, notFound } from '../errors.js';
import type { Logger } from '../log.js';
import { ApprovalEvents, type ApprovalListener } from './events.js';
import type { ApprovalRecord, ApprovalStore } from './store.js';
import { RESOLUTIONS } from './wording.js';

/** Where a person may answer: the dashboard (REST, the editor), the calling client (elicitation), another agent (`mcpx` tools). */
export type ApprovalChannel = 'dashboard' | 'client' | 'mcp_agent';
export const APPROVAL_CHANNELS: readonly ApprovalChannel[] = ['dashboard', 'client', 'mcp_agent'];

/** A call that must wait for approval, as the approve step describes it (arguments not yet redacted). */
export interface ApprovalRequest {
  session_id: string;
  client_type: string | null;
  model: string | null;
  workspace_id: string;
  workspace_name: string;
  tool_name: string;
  /** The forwarded arguments; the record keeps them redacted (`redactArguments`). */
  arguments: unknown;
  justification: string | null;
  route_rule_id: string | null;
  downstream_server_id: string | null;
  auth_scope_id: string | null;
  /** Seconds before it resolves as `timeout`. */
  timeout_sec: number;
  /** The rule's `approval_channels`; undefined: every channel. The dashboard can always answer. */
  channels?: readonly ApprovalChannel[];
}

/** A person's answer, from any channel but the gateway itself. */
export interface ResolveInput {
  approved: boolean;
  resolution: string | null;
  approver_type: 'dashboard' | 'client_user' | 'mcp_agent';
  approver_session_id: string | null;
}

/** A request waiting in this process: `outcome` settles once, with the final record (never rejects). */
export interface PendingApproval {
  readonly record: Readonly<ApprovalRecord>;
  readonly outcome: Promise<ApprovalRecord>;
}

interface Waiting extends PendingApproval {
  record: ApprovalRecord;
  channels: readonly ApprovalChannel[] | undefined;
  timer: NodeJS.Timeout;
  settle(record: ApprovalRecord): void;
}

type Update = Pick<ApprovalRecord, 'status' | 'approver_session_id' | 'approver_type' | 'resolution' | 'resolved_at'>;

const CHANNEL_OF: Record<ResolveInput['approver_type'], ApprovalChannel> = { dashboard: 'dashboard', client_user: 'client', mcp_agent: 'mcp_agent' };

/**
 * Pending approval requests, their timeouts and their resolution (issue 17 "Approvals"). The
 * store holds every record; this service holds the requests waiting in this process (a call
 * blocked on each). Exactly one resolution wins, whichever channel it comes from: the store's
 * conditional resolve decides, and only the winner updates the record, fires `resolved` and
 * wakes the call. Events: `pending` when a request is stored, `resolved` when it ends.
 */
export class ApprovalService {
  private readonly waiting = new Map<string, Waiting>();
  private readonly events: ApprovalEvents;

  constructor(
    private readonly store: ApprovalStore,
    private readonly logger?: Logger,
    /** What marks a secret in a call's arguments (the audit trail's, `scopeRedaction`): read at each request. */
    private readonly redactionFor: RedactionFor = () => ({}),
  ) {
    this.events = new ApprovalEvents(logger);
  }

  /** At start: requests left pending by an earlier run become `cancelled` ("server restart"). @returns how many */
  async start(): Promise<number> {
    const count = await this.store.cancelPending(RESOLUTIONS.restart, new Date().toISOString());
    if (count > 0) this.logger?.info('approval requests left pending by the last run were cancelled', { count });
    return count;
  }

  /** Stores a new pending request, starts its timeout and fires `pending`. @throws what the store throws */
  async request(input: ApprovalRequest): Promise<PendingApproval> {
    const redactor = new ArgumentRedactor(this.redactionFor(input.auth_scope_id ?? null));
    const record: ApprovalRecord = {
      id: randomUUID(),
      status: 'pending',
      request_session_id: input.session_id,
      // What the client declared of itself, and the name it called: a secret in them masked too.
      request_client_type: input.client_type === null ? null : redactor.redactText(input.client_type),
      request_model: input.model === null ? null : redactor.redactText(input.model),
      workspace_id: input.workspace_id,
      workspace_name: input.workspace_name,
      tool_name: redactor.redactText(input.tool_name),
      arguments: redactor.redact(input.arguments ?? {}) as Record<string, unknown>,
      // Free text the agent wrote for the approver: its words kept, a secret in it masked (as an error message's).
      justification: input.justification === null ? null : redactor.redactText(input.justification),
      route_rule_id: input.route_rule_id,
      downstream_server_id: input.downstream_server_id,
      auth_scope_id: input.auth_scope_id,
      approver_session_id: null,
      approver_type: null,
      resolution: null,
      timeout_sec: input.timeout_sec,
      created_at: new Date().toISOString(),
      resolved_at: null,
    };
    await this.store.insert(record);
    let settle!: (record: ApprovalRecord) => void;
    const outcome = new Promise<ApprovalRecord>((resolve) => (settle = resolve));
    const timer = setTimeout(() => void this.expire(record.id), input.timeout_sec * 1000);
    // A pending approval must not keep a stopping process alive; shutdown cancels it anyway.
    timer.unref();
    this.waiting.set(record.id, { record, outcome, channels: input.channels, timer, settle });
    this.events.emit({ type: 'pending', approval: { ...record } });
    return this.waiting.get(record.id)!;
  }

  /**
   * A person's answer. The dashboard can always answer; the client's user and an agent only where
   * the rule's `approval_channels` let them, and an agent never for a request of its own session.
   *
   * @returns the resolved record
   * @throws GatewayError `not_found` (unknown id), `conflict` ("approval already resolved", also
   *   for the loser of two racing answers), `forbidden` (self-approval, or a channel the rule shut)
   */
  async resolve(id: string, input: ResolveInput): Promise<ApprovalRecord> {
    const waiting = this.waiting.get(id);
    const record = waiting?.record ?? (await this.store.get(id));
    if (!record) throw notFound('approval', id);
    if (record.status !== 'pending') throw conflict('approval already resolved');
    if (input.approver_type === 'mcp_agent' && input.approver_session_id !== null && input.approver_session_id === record.request_session_id) {
      throw new GatewayError(
        'forbidden',
        `approval ${id} was requested by your own session: an agent cannot approve or deny its own tool calls; a person answers it in the dashboard`,
      );
    }
    const channel = CHANNEL_OF[input.approver_type];
    if (channel !== 'dashboard' && waiting?.channels && !waiting.channels.includes(channel)) {
      throw new GatewayError(
        'forbidden',
        `approval ${id} can only be answered through ${waiting.channels.join(', ')} (the route rule's approval_channels), not ${channel}`,
      );
    }
    const resolved = await this.settle(id, {
      status: input.approved ? 'approved' : 'denied',
      approver_type: input.approver_type,
      approver_session_id: input.approver_session_id,
      // The approver's words reach the calling agent and the trail: a secret pasted in them is masked.
      resolution: input.resolution === null ? null : new ArgumentRedactor(this.redactionFor(record.auth_scope_id)).redactText(input.resolution),
      resolved_at: new Date().toISOString(),
    });
    if (!resolved) throw conflict('approval already resolved');
    return resolved;
  }

  /** The gateway ends a request (`cancelled`, approver `system`): its call went away, or the gateway stops. @returns false if it had already ended */
  async cancel(id: string, resolution: string): Promise<boolean> {
    const update: Update = { status: 'cancelled', approver_type: 'system', approver_session_id: null, resolution, resolved_at: new Date().toISOString() };
    return (await this.settle(id, update)) !== undefined;
  }

  /**
   * Cancels each request waiting here for which `reasonOf` gives a reason (it becomes the
   * resolution), which answers its call: e.g. its workspace or server is gone from the config.
   *
   * @returns how many it cancelled
   */
  async cancelWhere(reasonOf: (record: Readonly<ApprovalRecord>) => string | undefined): Promise<number> {
    const doomed = [...this.waiting.values()].flatMap((w) => {
      const reason = reasonOf(w.record);
      return reason === undefined ? [] : [this.cancel(w.record.id, reason)];
    });
    return (await Promise.all(doomed)).filter(Boolean).length;
  }

  /** At shutdown: every request waiting here is cancelled ("server shutdown"), which answers its call. */
  async shutdown(): Promise<void> {
    await Promise.allSettled([...this.waiting.keys()].map((id) => this.cancel(id, RESOLUTIONS.shutdown)));
  }

  /** @throws GatewayError `not_found` */
  async get(id: string): Promise<ApprovalRecord> {
    const record = await this.store.get(id);
    if (!record) throw notFound('approval', id);
    return record;
  }

  /** Pending requests oldest first; any other status newest first. */
  list(query: { status?: ApprovalRecord['status']; workspace_id?: string; limit?: number; offset?: number }): Promise<ApprovalRecord[]> {
    return this.store.list(query);
  }

  /** The channels a waiting request may be answered through (undefined: all, or not waiting here). */
  channelsOf(id: string): readonly ApprovalChannel[] | undefined {
    return this.waiting.get(id)?.channels;
  }

  subscribe(listener: ApprovalListener): () => void {
    return this.events.subscribe(listener);
  }

  /** The dashboard's `approval_metrics`. */
  async metrics(): Promise<{ pending_count: number; approved_count: number; denied_count: number; timed_out_count: number; avg_wait_ms: number }> {
    const counts = await this.store.counts();
    return {
      pending_count: counts.pending,
      approved_count: counts.approved,
      denied_count: counts.denied,
      timed_out_count: counts.timeout,
      avg_wait_ms: counts.avg_wait_ms,
    };
  }

  private async expire(id: string): Promise<void> {
    const update: Update = {
      status: 'timeout',
      approver_type: 'system',
      approver_session_id: null,
      resolution: RESOLUTIONS.timeout,
      resolved_at: new Date().toISOString(),
    };
    try {
      await this.settle(id, update);
    } catch (error) {
      this.logger?.error('approval timeout could not be stored', { id, reason: error instanceof Error ? error.message : String(error) });
    }
  }

  /** The one place a request ends: only the store's conditional resolve's winner updates, fires and wakes. */
  private async settle(id: string, update: Update): Promise<ApprovalRecord | undefined> {
    if (!(await this.store.resolve(id, update))) return undefined;
    const waiting = this.waiting.get(id);
    this.waiting.delete(id);
    if (waiting) clearTimeout(waiting.timer);
    const record = waiting ? Object.assign(waiting.record, update) : await this.store.get(id);
    if (!record) return undefined;
    const final = { ...record };
    this.events.emit({ type: 'resolved', approval: final });
    waiting?.settle(final);
    return final;
  }
}
