// A downstream that repeats its credentials in its errors (the raw fixture with LICENSE_KEY): what
// the caller is shown never holds them. Its refusal of initialize and its error to a call, through
// the pool with the server's own env; end to end, a key handed by an auth scope, in the error an
// MCP client gets and in `POST /downstreams/{id}/discover`'s answer (a security trial: all in clear).
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, describe, expect, it } from 'vitest';
import { DownstreamPool } from '../../src/gateway/downstream/index.js';
import { rawServer } from '../fixtures/downstream-servers.js';
import { startTestGateway } from '../helpers/gateway.js';
import { connectHttp, gatewayFailure, rawBody, rejection } from '../helpers/mcp.js';

const KEY = 'lic-secret-value-0042';
const pool = new DownstreamPool({ startTimeoutMs: 10_000 });
afterAll(() => pool.stopAll({ drainMs: 0 }));

describe('the pool', () => {
  it("masks the server's own env value in its refusal of initialize, keeping the words", async () => {
    const server = rawServer(['--init-error'], { name: 'refuses', env: { LICENSE_KEY: KEY } });
    const error = await gatewayFailure(pool.callTool(server, null, { name: 'echo', arguments: {} }, { timeoutMs: 10_000 }));
    expect(error.message).toContain('answered initialize with an error: license check failed for key [REDACTED]: no seat available');
    expect(error.message).not.toContain(KEY);
  });

  it("masks it in the server's error to a call", async () => {
    const server = rawServer([], { name: 'quotes', env: { LICENSE_KEY: KEY } });
    const error = await gatewayFailure(pool.callTool(server, null, { name: 'nope', arguments: {} }, { timeoutMs: 10_000 }));
    expect(error).toMatchObject({ code: 'downstream_error' });
    expect(error.message).toContain('unknown tool nope (license key [REDACTED])');
    expect(error.message).not.toContain(KEY);
  });
});

describe('the gateway', () => {
  it("masks a scope's value in the error an MCP client gets and in discover's answer", async () => {
    const t = await startTestGateway();
    let client: Client | undefined;
    try {
      const scope = (await t.api('POST', '/auth-scopes', { name: 'License', env_vars: { LICENSE_KEY: KEY } })).body.id as string;
      const server = (await t.api('POST', '/downstreams', rawBody('lic', ['--init-error']))).body.id as string;
      expect(
        (await t.api('POST', '/routes', { workspace_id: 'global', path_glob: '**', downstream_server_id: server, auth_scope_id: scope, policy: 'allow' }))
          .status,
      ).toBe(201);
      const discover = await t.api('POST', `/downstreams/${server}/discover`);
      expect(discover.text).not.toContain(KEY);
      client = await connectHttp(t);
      const refused = await rejection(client.callTool({ name: 'lic__echo', arguments: {} }));
      expect(refused.message).toContain('license check failed for key [REDACTED]');
      expect(JSON.stringify(refused)).not.toContain(KEY);
    } finally {
      await client?.close();
      await t.close();
    }
  });
});
