import { describe, expect, it } from 'vitest';
import { BUILTIN_SERVER_ID, decideBudget, fitWindowSet, planDynamic, visibleTotal, type BudgetServer } from '../../../src/extension/tool-budget.js';

const server = (id: string, tools: number, reason = 'visible'): BudgetServer => ({ server_id: id, name: id, namespace: id, tools_visible: tools, reason });
const builtin = server(BUILTIN_SERVER_ID, 3);

describe('the Copilot tool budget', () => {
  it('sends nothing extra while the window’s tools fit', () => {
    expect(decideBudget([builtin, server('a', 60), server('b', 65)], 128)).toEqual({ total: 128, over: false, listed: 128, leftOut: [] });
    expect(decideBudget([], 128)).toMatchObject({ total: 0, over: false });
  });

  it('over budget with no choice: a default window set that fits, built-in first, small servers not lost behind a big one', () => {
    const servers = [builtin, server('a', 100), server('big', 150), server('c', 20), server('d', 10)];
    const d = decideBudget(servers, 128);
    expect(d).toMatchObject({ total: 283, over: true, serversHeader: `${BUILTIN_SERVER_ID},a,c`, listed: 123 });
    expect(d.leftOut.map((s) => s.server_id)).toEqual(['big', 'd']);
    expect(d.listed).toBeLessThanOrEqual(128);
    expect(decideBudget(servers, 10)).toMatchObject({ serversHeader: BUILTIN_SERVER_ID, listed: 3 });
  });

  it('the user’s window set is kept in its order and trimmed to fit; a chosen set applies even under budget', () => {
    const servers = [builtin, server('a', 100), server('b', 50), server('c', 20)];
    expect(fitWindowSet(servers, 128, ['c', 'b', 'a'])).toMatchObject({ ids: [BUILTIN_SERVER_ID, 'c', 'b'], total: 73 });
    expect(fitWindowSet(servers, 128, ['c', 'b', 'a']).leftOut.map((s) => s.server_id)).toEqual(['a']);
    expect(decideBudget([builtin, server('a', 5), server('b', 5)], 128, ['b'])).toMatchObject({
      over: false,
      serversHeader: `${BUILTIN_SERVER_ID},b`,
      listed: 8,
    });
    expect(fitWindowSet(servers, 128, ['gone', 'c']).ids).toEqual([BUILTIN_SERVER_ID, 'c']);
  });

  it('option (a): the largest servers go dynamic until the rest fit; never the built-in or a dynamic one', () => {
    const servers = [builtin, server('a', 100), server('big', 150), server('c', 20), server('dyn', 0, 'dynamic')];
    expect(planDynamic(servers, 128).map((s) => s.server_id)).toEqual(['big']);
    expect(planDynamic(servers, 25).map((s) => s.server_id)).toEqual(['big', 'a']);
    expect(planDynamic(servers, 20).map((s) => s.server_id)).toEqual(['big', 'a', 'c']);
    expect(planDynamic([builtin, server('a', 10)], 128)).toEqual([]);
    expect(planDynamic([server(BUILTIN_SERVER_ID, 500)], 128)).toEqual([]);
  });

  it('counts only visible tools (negative or missing counts add nothing)', () => {
    expect(visibleTotal([server('a', 3), server('b', -1), server('c', 0)])).toBe(3);
  });
});
