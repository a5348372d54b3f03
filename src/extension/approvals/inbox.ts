/**
 * One window's view of the approval queue (pure: no `vscode`, no I/O): which requests are pending,
 * which of them this window has raised as a notification, and what to do on each event. Every window
 * keeps its own inbox and reads the same approvals stream, so a request resolved anywhere — another
 * window, the browser, an agent's `mcpx__approve_tool_call`, its timeout — closes in all of them.
 */
import type { ApprovalRecord } from '../../shared/approval-record.js';
import type { Delivery } from './routing.js';
import { closingText } from './wording.js';

/** What the window does: raise a notification, or close one (with a short message, or none). */
export type InboxEffect = { kind: 'show'; approval: ApprovalRecord } | { kind: 'close'; id: string; message?: string };

const GONE_KEPT = 500;

interface Entry {
  approval: ApprovalRecord;
  delivery: Delivery;
  shown: boolean;
}

export class ApprovalInbox {
  private readonly entries = new Map<string, Entry>();
  /** Requests this window answered itself: their notification closes without a message. */
  private readonly answeredHere = new Set<string>();
  /**
   * Ids seen resolved (the last GONE_KEPT): deciding who owns a request takes REST calls, so its
   * `resolved` event can overtake it, and a late `requested` must not raise a closed request.
   */
  private readonly gone = new Set<string>();

  /** How many requests are pending (the status bar's count). */
  get count(): number {
    return this.entries.size;
  }

  /** How many of them this window owns but has not raised (`whenFocused` while unfocused, or `never`). */
  get waiting(): number {
    return [...this.entries.values()].filter((e) => !e.shown && e.delivery !== 'count').length;
  }

  pending(): ApprovalRecord[] {
    return [...this.entries.values()].map((e) => e.approval);
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** `approval.requested`: a request that is still pending is added; a known one is not raised twice. */
  requested(approval: ApprovalRecord, delivery: Delivery): InboxEffect[] {
    if (approval.status !== 'pending' || this.entries.has(approval.id) || this.gone.has(approval.id)) return [];
    const entry: Entry = { approval, delivery, shown: delivery === 'notify' };
    this.entries.set(approval.id, entry);
    return entry.shown ? [{ kind: 'show', approval }] : [];
  }

  /** `approval.resolved`: the request leaves; its notification, if raised, closes (a message unless answered here). */
  resolved(approval: ApprovalRecord): InboxEffect[] {
    const entry = this.entries.get(approval.id);
    this.entries.delete(approval.id);
    this.forget(approval.id);
    const mine = this.answeredHere.delete(approval.id);
    if (!entry?.shown) return [];
    return [mine ? { kind: 'close', id: approval.id } : { kind: 'close', id: approval.id, message: closingText(approval) }];
  }

  /** This window answered the request (its resolve call succeeded): close at once, no message. */
  answered(id: string): InboxEffect[] {
    const entry = this.entries.get(id);
    this.answeredHere.add(id);
    return entry?.shown ? [{ kind: 'close', id }] : [];
  }

  /**
   * The editor windows changed (one closed, one opened): each request not raised here is judged
   * again, and raised if it is this window's now. A request owned by a window that closed was
   * otherwise only counted everywhere until it timed out (a robustness trial).
   */
  rerouted(deliveryOf: (approval: ApprovalRecord) => Delivery): InboxEffect[] {
    const effects: InboxEffect[] = [];
    for (const entry of this.entries.values()) {
      if (entry.shown) continue;
      entry.delivery = deliveryOf(entry.approval);
      if (entry.delivery !== 'notify') continue;
      entry.shown = true;
      effects.push({ kind: 'show', approval: entry.approval });
    }
    return effects;
  }

  /** The window gained focus: what waited for it is raised now. */
  focused(): InboxEffect[] {
    const effects: InboxEffect[] = [];
    for (const entry of this.entries.values()) {
      if (entry.shown || entry.delivery !== 'wait') continue;
      entry.shown = true;
      entry.delivery = 'notify';
      effects.push({ kind: 'show', approval: entry.approval });
    }
    return effects;
  }

  /**
   * The pending list after a (re)connection (`GET /approvals`): requests gone meanwhile close
   * without a message (their outcome was not seen), new ones are added as `requested`.
   */
  reseed(pending: readonly ApprovalRecord[], deliveryOf: (approval: ApprovalRecord) => Delivery): InboxEffect[] {
    const live = new Set(pending.map((a) => a.id));
    const effects: InboxEffect[] = [];
    for (const [id, entry] of this.entries) {
      if (live.has(id)) continue;
      this.entries.delete(id);
      this.forget(id);
      if (entry.shown) effects.push({ kind: 'close', id });
    }
    for (const approval of pending) effects.push(...this.requested(approval, deliveryOf(approval)));
    return effects;
  }

  private forget(id: string): void {
    this.gone.add(id);
    if (this.gone.size > GONE_KEPT) this.gone.delete(this.gone.values().next().value as string);
  }

  /** The daemon went away: every notification closes (nothing can be answered until it is back). */
  clear(): InboxEffect[] {
    const effects: InboxEffect[] = [...this.entries.values()].filter((e) => e.shown).map((e) => ({ kind: 'close' as const, id: e.approval.id }));
    this.entries.clear();
    this.answeredHere.clear();
    return effects;
  }
}
