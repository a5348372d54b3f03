import { describe, expect, it } from 'vitest';
import { compileRouter } from './router.js';
import { folderSet } from './strictest.js';
import { route, server, workspace } from '../../../test/fixtures/routing/records.js';

/**
 * Multi-root: a window's folders decided together. Each folder's decision comes from the one
 * `decide()`; the set takes the strictest (deny > default deny > approval > allow), so a tool is
 * allowed only where every folder allows it.
 */
const gh = server('gh', 'github');
const fs = server('fs', 'fs');
const workspaces = [workspace('global', '/'), workspace('a', '/a'), workspace('b', '/b'), workspace('c', '/c', 'deny')];
const router = compileRouter({
  workspaces,
  downstreams: [gh, fs],
  globalDefaultPolicy: 'allow',
  routes: [
    route('a-deny-writes', 'a', { tool_pattern: 'fs__write*', policy: 'deny', name: 'no-writes' }),
    route('b-approve-github', 'b', { tool_pattern: 'github__*', policy: 'approve' }),
    route('c-allow-fs', 'c', { tool_pattern: 'fs__*', policy: 'allow' }),
  ],
});

const decideIn = (dirs: string[], tool: string, readOnly?: boolean) => router.decide(folderSet(dirs), tool, { readOnly });

describe('multi-root: the strictest decision of every folder', () => {
  it('denies where one folder denies (a deny rule beats an allow elsewhere), naming that rule', () => {
    expect(router.decide('/b', 'fs__write_file').error_code).toBeUndefined();
    const decision = decideIn(['/b', '/a'], 'fs__write_file');
    expect(decision).toMatchObject({ error_code: 'denied', rule: { id: 'a-deny-writes' }, workspace: { id: 'a' } });
    expect(decideIn(['/a/src', '/b'], 'fs__write_text').rule?.id).toBe('a-deny-writes');
  });

  it('a default deny of one folder hides what the other allows', () => {
    expect(decideIn(['/a', '/c'], 'github__issues')).toMatchObject({ error_code: 'no_route', workspace: { id: 'c' } });
    expect(decideIn(['/a', '/c'], 'fs__read_file').error_code).toBeUndefined();
  });

  it('approval beats allow, deny beats approval', () => {
    expect(decideIn(['/a', '/b'], 'github__issues')).toMatchObject({ approval_required: true, rule: { id: 'b-approve-github' } });
    expect(decideIn(['/b', '/a', '/c'], 'github__issues')).toMatchObject({ error_code: 'no_route' });
  });

  it('gives the same answer whatever the folder order, and one folder decides as that folder alone', () => {
    for (const tool of ['fs__write_file', 'github__x', 'fs__read_file']) {
      expect(decideIn(['/a', '/b', '/c'], tool).error_code).toBe(decideIn(['/c', '/b', '/a'], tool).error_code);
      expect(decideIn(['/b'], tool)).toEqual(router.decide('/b', tool));
    }
  });

  it("explains with the strictest folder's chain and candidates", () => {
    const explanation = router.explain(folderSet(['/b', '/a']), 'fs__write_file');
    expect(explanation.error_code).toBe('denied');
    expect(explanation.chain.map((l) => l.workspace_id)).toEqual(['a', 'global']);
  });

  it('keys the set by its normalised folders (repeats and trailing slashes do not matter)', () => {
    expect(folderSet(['/a/', '/b', '/a']).key).toBe(folderSet(['/a', '/b']).key);
    expect(folderSet(['/a', '/b']).key).not.toBe(folderSet(['/a']).key);
  });
});
