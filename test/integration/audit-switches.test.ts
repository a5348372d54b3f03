// The audit trail's stream heartbeat (a real HTTP server streaming from a real trail with a short
// heartbeat) and the bench/diagnostic switch MCPLEXER_AUDIT=off on a real gateway.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAudit } from '../../src/gateway/audit/index.js';
import { startTestGateway, waitFor } from '../helpers/gateway.js';
import { openSse } from '../helpers/sse.js';

describe('audit stream heartbeat', () => {
  it('sends a ":" comment on a quiet stream every heartbeat period', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mcplexer-audit-hb-'));
    const trail = await openAudit<never>({
      dataDir: dir,
      describe: () => {
        throw new Error('no records in this test');
      },
      redactionFor: () => ({}),
      names: { ruleSummary: () => null, serverName: () => null },
      settings: () => ({ audit_retention_days: 30, audit_max_mb: 500 }),
      heartbeatMs: 50,
    });
    const server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      req.on('close', trail.stream(res, {}, undefined));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const stream = await openSse({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 'unused' }, '/');
    try {
      // The opening comment, then heartbeats.
      expect(await waitFor(() => stream.comments() >= 3, 10_000)).toBe(true);
    } finally {
      stream.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await trail.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('MCPLEXER_AUDIT=off', () => {
  it('runs without audit.db; the audit endpoints say it is off (501)', async () => {
    const t = await startTestGateway({ env: { MCPLEXER_AUDIT: 'off' } });
    try {
      expect(existsSync(path.join(t.home, 'audit.db'))).toBe(false);
      for (const endpoint of ['/audit', '/audit/stream']) {
        const res = await t.api('GET', endpoint);
        expect(res.status).toBe(501);
        expect(res.body.error.message).toContain('MCPLEXER_AUDIT=off');
      }
    } finally {
      await t.close();
    }
  });
});
