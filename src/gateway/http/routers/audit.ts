import { Router } from 'express';
import { parseAuditQuery, parseAuditStreamQuery, parseLastEventId, type AuditTrail } from '../../audit/index.js';
import type { AuditPage, AuditRecord } from '../../../shared/schemas/audit.js';
import { GatewayError } from '../../errors.js';

/** The wire type a page must fit (`status` is kept as text in the store). */
type PageAnswer = Omit<AuditPage, 'data'> & { data: Array<Omit<AuditRecord, 'status'> & { status: string }> };

/** What the audit routes need of the trail (`undefined` when the gateway runs with MCPLEXER_AUDIT=off). */
export type AuditReader = Pick<AuditTrail<never>, 'query' | 'stream'>;

function trailOrThrow(audit: AuditReader | undefined): AuditReader {
  if (!audit) throw new GatewayError('not_implemented', 'the audit trail is switched off in this gateway (MCPLEXER_AUDIT=off); start it without that variable');
  return audit;
}

/**
 * `GET /audit`: records newest first, filtered, one page → `{data, total, limit, offset}` (the
 * effective limit and offset). `GET /audit/stream`: the same records live, as SSE (`id:`,
 * `event: audit`, `data:`), with the same filters, resuming after `Last-Event-ID`.
 * @throws GatewayError `validation_failed` (400) naming the query parameter (unknown, repeated, or
 *   of the wrong form; `limit` and `offset` on the stream are unknown: it has no pages) or `Last-Event-ID`;
 *   `not_implemented` (501) when the trail is off
 */
export function auditRouter(audit: AuditReader | undefined): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const query = parseAuditQuery(req.query as Record<string, unknown>);
    const page: PageAnswer = await trailOrThrow(audit).query(query);
    res.json(page);
  });
  router.get('/stream', (req, res) => {
    const filter = parseAuditStreamQuery(req.query as Record<string, unknown>);
    const lastEventId = parseLastEventId(req.get('last-event-id'));
    const trail = trailOrThrow(audit);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.flushHeaders();
    // Every filter of GET /audit applies (limit and offset do not: a stream has no pages).
    const end = trail.stream(res, filter, lastEventId);
    // The response closes when the client goes away (or the hub ends it).
    res.on('close', end);
  });
  return router;
}
