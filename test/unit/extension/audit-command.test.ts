import { beforeEach, describe, expect, it } from 'vitest';
import { fake, resetFake, commands } from '../../fakes/vscode.js';
import { registerAuditCommands, SHOW_AUDIT_LOG } from '../../../src/extension/views/audit-commands.js';

/**
 * `mcplexer.showAuditLog`: from the palette it only reveals the Audit view; with a filter it hands
 * the view the filter (checked first) and reveals it; a filter that does not fit is refused with a
 * message naming the field, and the view is neither changed nor revealed.
 */
function setup() {
  const sent: Array<{ method: string; params: unknown }> = [];
  let revealed = 0;
  const warnings: string[] = [];
  registerAuditCommands({ notify: (method, params) => void sent.push({ method, params }), reveal: async () => void revealed++ }, {
    warn: (m: string) => void warnings.push(m),
  } as never);
  return { sent, revealed: () => revealed, warnings };
}

beforeEach(() => resetFake());

describe('mcplexer.showAuditLog', () => {
  it('without an argument reveals the view and sends nothing', async () => {
    const s = setup();
    await commands.executeCommand(SHOW_AUDIT_LOG);
    expect(s.revealed()).toBe(1);
    expect(s.sent).toEqual([]);
  });

  it('with a filter hands it to the view, then reveals it', async () => {
    const s = setup();
    await commands.executeCommand(SHOW_AUDIT_LOG, { session_id: 'abc', error_code: 'denied', after: '2026-01-01T00:00:00Z' });
    expect(s.sent).toEqual([{ method: 'audit/applyFilter', params: { filter: { session_id: 'abc', error_code: 'denied', after: '2026-01-01T00:00:00Z' } } }]);
    expect(s.revealed()).toBe(1);
  });

  it.each([
    [{ status: 'weird' }, 'filter.status'],
    [{ after: 'yesterday' }, 'filter.after'],
    [{ session: 'abc' }, 'filter'],
  ])('refuses %j, naming %s, and leaves the view alone', async (filter, field) => {
    const s = setup();
    await commands.executeCommand(SHOW_AUDIT_LOG, filter);
    expect(s.sent).toEqual([]);
    expect(s.revealed()).toBe(0);
    const error = fake.messages.find((m) => m.level === 'error');
    expect(error?.text).toContain(field);
    expect(s.warnings).toHaveLength(1);
  });
});
