import type { ServerResponse } from 'node:http';
import { Router } from 'express';
import { z } from 'zod';
import { EVENT_NAMES, type ApprovalEvent, type ApprovalService } from '../../approvals/index.js';
import { choiceParam, parseBody, parseQuery, textParam, wholeParam } from '../../config/index.js';
import type { ApprovalResolveResult } from '../../../shared/schemas/approvals.js';

const STATUSES = ['pending', 'approved', 'denied', 'timeout', 'cancelled'] as const;

/** The heartbeat of `GET /approvals/stream` (an SSE comment), so proxies and clients see a live stream (ms). */
export const HEARTBEAT_MS = 15_000;
/** A reader this far behind (bytes not yet taken by the socket) is cut off: it reconnects and lists the pending. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/** `GET /approvals`' parameters (the OpenAPI document lists these same schemas). */
export const APPROVAL_LIST_PARAMS = {
  status: choiceParam(STATUSES, 'pending (the default): oldest first; another status: the history, newest first'),
  workspace_id: textParam(),
  limit: wholeParam({ min: 1, max: 500, default: 100 }),
  offset: wholeParam({ min: 0, default: 0 }),
};

export const approvalResolveSchema = z.strictObject({
  approved: z.boolean(),
  resolution: z.string().max(2000).optional(),
});

const RESOLVE_ALIASES = [{ from: 'reason', to: 'resolution' }];

/**
 * The Approvals section of the REST reference, a thin adapter over `ApprovalService`:
 * - `GET /approvals`: without `status` (or with `pending`) the pending requests, oldest first;
 *   another `status` filters the history, newest first; `workspace_id`, `limit` (1–500, default
 *   100), `offset` narrow it. An array.
 * - `GET /approvals/stream`: SSE, `event: approval.requested|approval.resolved` with
 *   `data: {"type":"pending"|"resolved","approval":{…}}`, and a `:` heartbeat every 15 s.
 * - `GET /approvals/{id}`: one record.
 * - `POST /approvals/{id}/resolve {approved, resolution?}` (alias `reason`) → `{"status":
 *   "approved"|"denied","approval":{…}}`; the approver is `dashboard` (the REST side can always
 *   answer).
 *
 * @throws GatewayError `validation_failed` (400, naming the field: a bad `status`, `limit`,
 *   `offset`, an unknown or repeated query parameter (`parseQuery`), a body without a boolean `approved`), `not_found` (404),
 *   `conflict` (409 "approval already resolved", also for the loser of two racing answers)
 */
export function approvalsRouter(approvals: ApprovalService): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const { status, workspace_id, limit, offset } = parseQuery(APPROVAL_LIST_PARAMS, req.query);
    res.json(
      await approvals.list({
        status: status ?? 'pending',
        ...(workspace_id === undefined ? {} : { workspace_id }),
        ...(limit === undefined ? {} : { limit }),
        ...(offset === undefined ? {} : { offset }),
      }),
    );
  });
  router.get('/stream', (req, res) => {
    parseQuery({}, req.query);
    streamEvents(approvals, res, req.socket.setNoDelay.bind(req.socket));
  });
  router.get('/:id', async (req, res) => void res.json(await approvals.get(req.params.id!)));
  router.post('/:id/resolve', async (req, res) => {
    const body = parseBody(approvalResolveSchema, req.body, RESOLVE_ALIASES);
    const approval = await approvals.resolve(req.params.id!, {
      approved: body.approved,
      resolution: body.resolution ?? null,
      approver_type: 'dashboard',
      approver_session_id: null,
    });
    const answer: ApprovalResolveResult = { status: body.approved ? 'approved' : 'denied', approval };
    res.json(answer);
  });
  return router;
}

function streamEvents(approvals: ApprovalService, res: ServerResponse, noDelay: () => void): void {
  noDelay();
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  res.write(': connected\n\n');
  const write = (chunk: string) => {
    if (res.writableEnded || res.destroyed) return;
    if (res.writableLength > MAX_BUFFERED_BYTES) return void res.end();
    res.write(chunk);
  };
  const unsubscribe = approvals.subscribe((event: ApprovalEvent) => write(`event: ${EVENT_NAMES[event.type]}\ndata: ${JSON.stringify(event)}\n\n`));
  const heartbeat = setInterval(() => write(': heartbeat\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  res.on('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
  });
}
