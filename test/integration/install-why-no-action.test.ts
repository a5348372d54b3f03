// The extension's "Install into Client…" for a client it cannot act on: the reason comes from the
// real gateway (which knows where it looked for the client), never guessed from the config path.
// A new user's trial was told "Claude Code is not detected on this machine (<home> does not
// exist)" about a home folder that existed: ~/.claude.json sits in the home folder itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whyNoAction } from '../../src/extension/install-client.js';
import { fakeUser, type FakeUser } from '../helpers/client-dirs.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let user: FakeUser;
let t: TestGateway;

beforeAll(async () => {
  user = fakeUser();
  t = await startTestGateway({ env: user.env });
}, 30_000);
afterAll(async () => {
  await t?.close();
  user?.remove();
});

const state = async (id: string) => (await t.client.installStatus()).clients.find((c) => c.id === id)!;

describe('why a client offers nothing to do', () => {
  it.each(['claude_code', 'zed'])('%s not detected: the gateway says where it looked and what to do, not that the home folder is missing', async (id) => {
    const client = await state(id);
    expect(client.detected).toBe(false);
    const why = await whyNoAction(t.client, client);
    expect(why).toContain(`${client.name} is not detected on this machine`);
    expect(why).toContain(`install ${client.name} and start it once`);
    expect(why).not.toContain(`(${user.env.HOME} does not exist)`);
  });

  it('a file that cannot be parsed: its error', async () => {
    user.fixture('opencode', 'malformed');
    const why = await whyNoAction(t.client, await state('opencode'));
    expect(why).toMatch(/opencode\.json cannot be parsed at line 3, column \d+/);
  });
});
