import { describe, expect, it } from 'vitest';
import { clientRow, clientRows } from '../../../src/extension/install-client.js';
import type { ClientStateAnswer } from '../../../src/shared/schemas/mcp-install.js';

const client = (id: string, state: Partial<ClientStateAnswer>): ClientStateAnswer => ({
  id,
  name: id,
  config_path: `/home/u/.${id}/mcp.json`,
  detected: true,
  configured: false,
  stale: false,
  ...state,
});

describe('the Install into Client quick pick', () => {
  it.each([
    [{ detected: false }, 'not detected', []],
    [{}, 'not configured', ['install']],
    [{ configured: true }, 'configured', ['uninstall']],
    [{ configured: true, stale: true }, 'stale: update available', ['update', 'uninstall']],
    [{ configured: true, error: '/x cannot be parsed at line 2, column 3: ValueExpected' }, 'cannot be parsed', []],
  ] as const)('%o → "%s" with actions %o', (state, words, actions) => {
    const row = clientRow(client('cursor', state));
    expect(row.description).toBe(words);
    expect(row.actions).toEqual(actions);
    expect(row.detail).toBe('/home/u/.cursor/mcp.json');
  });

  it('lists detected clients first, each group in the registry order', () => {
    const rows = clientRows([client('a', { detected: false }), client('b', {}), client('c', { detected: false }), client('d', { configured: true })]);
    expect(rows.map((row) => row.client.id)).toEqual(['b', 'd', 'a', 'c']);
  });
});
