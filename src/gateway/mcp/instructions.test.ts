// MCPlexer's initialize instructions over a small catalog: the servers a session sees, in catalog
// order, each under its name and prefix; none for servers it does not see or that gave none; and
// the combined limit, past which servers are named only.
import { describe, expect, it } from 'vitest';
import type { RuntimeConfig, SessionView } from '../calls/index.js';
import { GATEWAY_INSTRUCTIONS, gatewayInstructions, MAX_COMBINED_INSTRUCTIONS_CHARS } from './instructions.js';

type Server = { id: string; name: string; namespace: string; instructions?: string; expose_unprefixed?: boolean; discovery?: string };

function config(servers: Server[], denied: string[] = []): RuntimeConfig {
  const tools = servers.map((server) => ({
    server: { discovery: 'static', expose_unprefixed: false, ...server },
    fullName: `${server.namespace}__t`,
    readOnly: false,
  }));
  return {
    settings: { codex_dynamic_tool_compat: false },
    catalog: { tools },
    router: { decide: (_target: unknown, name: string) => (denied.includes(name) ? { error_code: 'denied' } : {}) },
  } as unknown as RuntimeConfig;
}
const session = { active: new Set<string>(), clientInfo: { name: 'test' } } as unknown as SessionView;

describe('gatewayInstructions', () => {
  it('is MCPlexer’s line alone when no server it sees gave instructions', () => {
    expect(gatewayInstructions(config([{ id: 'a', name: 'A', namespace: 'a' }]), session)).toBe(GATEWAY_INSTRUCTIONS);
  });

  it('adds each seen server’s text under its name and prefix, in catalog order, and leaves out the denied', () => {
    const text = gatewayInstructions(
      config(
        [
          { id: 'g', name: 'GitHub', namespace: 'gh', instructions: 'Search before you create.' },
          { id: 'd', name: 'Denied', namespace: 'no', instructions: 'never shown' },
          { id: 'u', name: 'Plain', namespace: 'pl', instructions: '  Names are bare.  ', expose_unprefixed: true },
        ],
        ['no__t'],
      ),
      session,
    );
    expect(text).toBe(
      [
        GATEWAY_INSTRUCTIONS,
        'What the servers behind it say about their tools:',
        '## GitHub (tools named gh__<tool>)\n\nSearch before you create.',
        '## Plain (tools named as the server names them)\n\nNames are bare.',
      ].join('\n\n'),
    );
  });

  it('names the servers past the combined limit instead of adding their text', () => {
    const long = 'y'.repeat(MAX_COMBINED_INSTRUCTIONS_CHARS / 2);
    const servers = ['one', 'two', 'three'].map((n) => ({ id: n, name: n, namespace: n, instructions: long }));
    const text = gatewayInstructions(config(servers), session);
    expect(text).toContain('## one');
    expect(text).not.toContain('## two');
    expect(text).toContain('(Instructions of two, three were left out: together they were too long.)');
    expect(text.length).toBeLessThan(MAX_COMBINED_INSTRUCTIONS_CHARS + 1_000);
  });
});
