/**
 * A session's directory from the client's roots. Clients send `tools/list` right after
 * `initialized` and answer `roots/list` later (desktop VS Code does), so the gateway asks as soon as
 * it can reach the client and holds the session's first tools/list (at most `roots_wait_ms`) until
 * the answer comes: the first list is then already the workspace's. A request of our own that is
 * related to no client request travels on the session's GET stream, which the SDK drops when none
 * is open; so the gateway asks when the client initializes only if a GET stream is open, and asks
 * again on the tools/list's own response stream, which always reaches the client. A root adopted
 * later (past the bound, or after `notifications/roots/list_changed`) changes the directory and the
 * session gets `list_changed` when its visible tools changed. Roots the gateway cannot use are
 * logged at warn and kept on the session (`rootProblem`). A header-chosen directory outranks roots.
 * Spec: MCP 2025-11-25, client/roots.
 */
import type { Logger } from '../log.js';
import { dirFromRoots } from './client-dir.js';
import type { McpSession } from './session.js';

/** How long a roots/list of ours may go unanswered before the ask is given up (ms). */
const ROOTS_REQUEST_TIMEOUT_MS = 10_000;

export interface RootsContext {
  logger: Logger;
  /** `roots_wait_ms`, read when needed (the setting may change). */
  waitMs(): number;
  /** The session's directory changed: its visible tools may have. */
  onDirChange(session: McpSession): void;
}

/** Sends one `roots/list` to the client and resolves to its answer's `roots`. */
export type AskRoots = (signal: AbortSignal) => Promise<{ roots?: unknown }>;

/**
 * Whether the gateway asks the client for its roots: a 2025-era session that declared them and has
 * not answered. A header choosing the directory does not spare the ask: the roots are also what
 * the session's downstream servers are told (`McpSession.setRoots`), and a session whose roots
 * were never asked would share an instance with sessions of other roots.
 */
export function needsRoots(session: McpSession, declared: boolean): boolean {
  return declared && session.era === 'legacy' && !session.rootsAnswered;
}

/**
 * Asks the client for its roots and adopts the answer. An ask in flight is reused, except that an
 * ask on the GET stream (which may have been dropped) does not stand in for one on a request's
 * stream. Never throws: a client that does not answer is logged at debug.
 */
export function askRoots(session: McpSession, ask: AskRoots, related: boolean, ctx: RootsContext): Promise<void> {
  if (session.rootsAsk && (session.rootsAsk.related || !related)) return session.rootsAsk.done;
  const signal = AbortSignal.timeout(ROOTS_REQUEST_TIMEOUT_MS);
  const done = ask(signal).then(
    (answer) => {
      // The client's own answer, whatever chose the directory: what its downstream servers are told.
      session.setRoots(answer.roots);
      adoptRoots(session, answer.roots, ctx);
    },
    (error: unknown) => {
      // An ask on a request's stream reached the client, so its error is its answer: later lists do not ask again.
      // One on the GET stream may have been dropped unseen, so it settles nothing.
      if (related) session.rootsAnswered = true;
      ctx.logger.debug('client did not answer roots/list', { session: session.id, reason: String(error) });
    },
  );
  const entry = { done, related };
  session.rootsAsk = entry;
  void done.finally(() => {
    if (session.rootsAsk === entry) session.rootsAsk = undefined;
  });
  return done;
}

/**
 * The client's roots, from its answer or from `initialize`: the first usable root becomes the
 * session's directory (unless a header chose one). Roots of which none is usable leave the
 * directory as it was, with the reason logged at warn (once per distinct reason) and kept.
 */
export function adoptRoots(session: McpSession, roots: unknown, ctx: Pick<RootsContext, 'logger' | 'onDirChange'>): void {
  session.rootsAnswered = true;
  if (session.dirSource === 'header') return;
  const { dir, problem } = dirFromRoots(roots);
  if (problem !== undefined && problem !== session.rootProblem) {
    ctx.logger.warn('client roots select no directory; the session keeps its workspace', {
      session: session.id,
      client: session.clientName,
      reason: problem,
    });
  }
  session.rootProblem = problem;
  if (dir === undefined || dir === session.dir) return;
  session.dir = dir;
  session.dirSource = 'roots';
  ctx.onDirChange(session);
}

/**
 * Before a tools/list or a tools/call: if the session still waits on roots, asks on this request's stream (unless
 * such an ask is in flight) and waits for the answer until `rootsWaitUntil` (set when the wait
 * began: the client's `initialized`, or a `roots/list_changed`); later lists do not wait again.
 */
export async function rootsBeforeList(session: McpSession, declared: boolean, ask: AskRoots, ctx: RootsContext, forCall = false): Promise<void> {
  if (!needsRoots(session, declared)) return;
  if (session.rootsWaitUntil === 0) session.rootsWaitUntil = Date.now() + ctx.waitMs();
  const done = askRoots(session, ask, true, ctx);
  // A header chose the directory: nothing a list shows depends on the answer, so a list does not
  // wait; a call does, for the instance it uses is keyed by the roots (`McpSession.setRoots`).
  if (session.dirSource === 'header' && !forCall) return;
  const waitMs = session.rootsWaitUntil - Date.now();
  if (waitMs <= 0) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([done, new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
  clearTimeout(timer);
}

/** The client initialized, or said its roots changed: the wait starts now, and we ask at once if a GET stream can carry the ask. */
export function rootsNeeded(session: McpSession, ask: AskRoots, ctx: RootsContext): void {
  session.rootsAnswered = false;
  session.rootsWaitUntil = Date.now() + ctx.waitMs();
  if (session.listening > 0) void askRoots(session, ask, false, ctx);
}
