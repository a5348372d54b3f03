import { beforeEach, describe, expect, it } from 'vitest';
import { EventEmitter, fake, resetFake } from '../../fakes/vscode.js';
import { registerInstallCommands } from '../../../src/extension/install-client.js';

/**
 * Stale client entries are offered for an update each time the window attaches to another gateway
 * (a restart on a new port), not only at the window's first attach (a new user's trial: after a
 * restart on another port, Claude Code and Gemini CLI kept pointing at the dead one, and nothing
 * said so until a reload). The gateway's install status is stood in for: which client is stale.
 */
beforeEach(() => resetFake());

describe('the stale-entry offer', () => {
  it('is made at each attach to another gateway, once per gateway', async () => {
    const changed = new EventEmitter<'ready' | 'attaching' | 'error'>();
    const client = {
      installStatus: async () => ({ clients: [{ id: 'claude-code', name: 'Claude Code', detected: true, stale: true, configured: true }] }),
    };
    const connection = { onDidChangeState: changed.event, client, url: 'http://127.0.0.1:27080', lock: { pid: 10, startedAt: 'a' } };
    const disposables = registerInstallCommands({ connection, log: { warn: () => undefined } } as never);
    const offers = () => fake.messages.filter((m) => m.text.includes('is out of date')).length;
    const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
    changed.fire('ready');
    await settle();
    expect(offers()).toBe(1);
    expect(fake.messages.at(-1)!.text).toContain("MCPlexer's entry in Claude Code is out of date");
    // The same gateway again (the stream reconnected): not asked twice.
    changed.fire('attaching');
    changed.fire('ready');
    await settle();
    expect(offers()).toBe(1);
    // A restart on another port: asked again.
    Object.assign(connection, { url: 'http://127.0.0.1:27081', lock: { pid: 11, startedAt: 'b' } });
    changed.fire('ready');
    await settle();
    expect(offers()).toBe(2);
    for (const d of disposables) d.dispose();
  });
});
