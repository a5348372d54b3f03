import { describe, expect, it } from 'vitest';
import { normaliseRoot, planFolderChange, planFolders, planRenames, workspaceName, type KnownWorkspace } from '../../../src/extension/folder-mapping.js';

const global: KnownWorkspace = { id: 'global', name: 'Global', root_path: '/' };
const app: KnownWorkspace = { id: 'ws-app', name: 'app', root_path: '/home/u/app' };

describe('folders → workspaces: add', () => {
  it('creates a workspace for a folder without one, with the default policy and source "vscode"', () => {
    for (const policy of ['allow', 'deny'] as const) {
      expect(planFolders(['/home/u/new'], [global, app], policy)).toEqual([
        { kind: 'create', folder: '/home/u/new', body: { name: 'new', root_path: '/home/u/new', default_policy: policy, source: 'vscode' } },
      ]);
    }
  });

  it('matches a workspace by normalised root_path (trailing slash, `.` and `..` segments)', () => {
    for (const folder of ['/home/u/app', '/home/u/app/', '/home/u/./app', '/home/u/x/../app']) {
      expect(planFolders([folder], [global, app], 'allow')).toEqual([{ kind: 'match', folder: '/home/u/app', workspaceId: 'ws-app' }]);
    }
    expect(planFolders(['/home/u/app2'], [{ ...app, root_path: '/home/u/app2/' }], 'allow')[0]).toMatchObject({ kind: 'match', workspaceId: 'ws-app' });
  });

  it('gives new workspaces names not in use, and plans one action per distinct folder', () => {
    const plan = planFolders(['/a/app', '/b/app', '/b/app/'], [global, app], 'allow');
    expect(plan.map((a) => (a.kind === 'create' ? a.body.name : a.kind))).toEqual(['app (2)', 'app (3)']);
    expect(workspaceName('/x/Global', ['Global', 'Global (2)'])).toBe('Global (3)');
    // A folder named like another workspace's id (the built-in's "global"): the gateway refuses that name.
    expect(planFolders(['/home/u/global'], [global, app], 'allow')[0]).toMatchObject({ kind: 'create', body: { name: 'global (2)' } });
    expect(normaliseRoot('/')).toBe('/');
  });
});

describe('folders → workspaces: rename and move', () => {
  it('a folder replaced at the same index moves its workspace to the new path', () => {
    const plan = planFolderChange({ removed: [{ path: '/home/u/app', index: 0 }], added: [{ path: '/home/u/renamed', index: 0 }] }, [global, app], 'allow');
    expect(plan).toEqual([{ kind: 'move', folder: '/home/u/renamed', workspaceId: 'ws-app', from: '/home/u/app', rootPath: '/home/u/renamed' }]);
    const moved = planFolderChange({ removed: [{ path: '/home/u/app/', index: 2 }], added: [{ path: '/srv/app', index: 2 }] }, [global, app], 'deny');
    expect(moved).toEqual([{ kind: 'move', folder: '/srv/app', workspaceId: 'ws-app', from: '/home/u/app', rootPath: '/srv/app' }]);
  });

  it('does not move onto a root another workspace holds: the new folder matches that one', () => {
    const other: KnownWorkspace = { id: 'ws-other', name: 'other', root_path: '/home/u/other' };
    const plan = planFolderChange({ removed: [{ path: '/home/u/app', index: 0 }], added: [{ path: '/home/u/other', index: 0 }] }, [app, other], 'allow');
    expect(plan).toEqual([{ kind: 'match', folder: '/home/u/other', workspaceId: 'ws-other' }]);
  });

  it('a rename inside VS Code moves the workspace of that folder and of folders inside it', () => {
    const inner: KnownWorkspace = { id: 'ws-inner', name: 'inner', root_path: '/home/u/app/pkg/inner' };
    const plan = planRenames([{ from: '/home/u/app', to: '/home/u/apx' }], [global, app, inner, { id: 'ws-appx', name: 'appx', root_path: '/home/u/appx' }]);
    expect(plan.map((a) => (a.kind === 'move' ? [a.workspaceId, a.rootPath] : a.kind))).toEqual([
      ['ws-app', '/home/u/apx'],
      ['ws-inner', '/home/u/apx/pkg/inner'],
    ]);
    expect(planRenames([{ from: '/home/u/elsewhere', to: '/home/u/x' }], [global, app])).toEqual([]);
  });
});

describe('folders → workspaces: remove', () => {
  it('a removed folder’s workspace is kept: no action at all', () => {
    expect(planFolderChange({ removed: [{ path: '/home/u/app', index: 0 }], added: [] }, [global, app], 'allow')).toEqual([]);
    expect(
      planFolderChange(
        {
          removed: [
            { path: '/home/u/app', index: 1 },
            { path: '/x', index: 0 },
          ],
          added: [],
        },
        [app],
        'deny',
      ),
    ).toEqual([]);
  });

  it('a folder added at another index than the removed one is an add, not a move', () => {
    const plan = planFolderChange({ removed: [{ path: '/home/u/app', index: 0 }], added: [{ path: '/home/u/next', index: 1 }] }, [global, app], 'allow');
    expect(plan).toEqual([
      { kind: 'create', folder: '/home/u/next', body: { name: 'next', root_path: '/home/u/next', default_policy: 'allow', source: 'vscode' } },
    ]);
  });
});
