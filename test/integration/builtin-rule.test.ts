// The seeded rule `builtin-allow` (mcpx__* in global) is created again at every start, as the
// original does; a DELETE answered 204 and the rule came back at the next start, reopening the mcpx
// approval tools to agents (a security trial). A DELETE is now a 409 that says what to do instead,
// and what it says (policy deny) lasts across a restart. Real gateway, stopped and started on its home.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let t: TestGateway | undefined;
let home: string | undefined;
afterAll(async () => {
  await t?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('the built-in rule', () => {
  it('cannot be deleted (409 naming the PUT that closes it); its policy deny survives a restart', async () => {
    t = await startTestGateway();
    home = t.home;
    const removed = await t.api('DELETE', '/routes/builtin-allow');
    expect(removed.status).toBe(409);
    expect(removed.body.error.code).toBe('conflict');
    expect(removed.body.error.message).toContain('PUT /api/v1/routes/builtin-allow {"policy":"deny"}');
    // By name too (a rule is found by id or name).
    expect((await t.api('DELETE', `/routes/${encodeURIComponent('Built-in tools')}`)).status).toBe(409);
    expect((await t.api('PUT', '/routes/builtin-allow', { policy: 'deny' })).status).toBe(200);
    await t.stop();
    t = await startTestGateway({ home });
    expect((await t.api('GET', '/routes/builtin-allow')).body).toMatchObject({ policy: 'deny' });
    const decision = (await t.api('POST', '/dry-run', { workspace_id: 'global', tool_name: 'mcpx__approve_tool_call' })).body;
    expect(decision).toMatchObject({ policy: 'deny', matched_rule: { id: 'builtin-allow' } });
  });
});
