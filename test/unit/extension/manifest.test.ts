// package.json's contributions against the code: every command the palette lists is registered
// at activation (a contributed command nobody registers fails with "command not found" only when a
// user runs it), and the walkthrough's steps point at commands and media that exist and ship.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fake, resetFake } from '../../fakes/vscode.js';
import { fakeContext } from './context.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  publisher: string;
  name: string;
  contributes: {
    commands: Array<{ command: string }>;
    walkthroughs: Array<{ id: string; steps: Array<{ id: string; description: string; media: { markdown?: string }; completionEvents?: string[] }> }>;
  };
};
const contributed = new Set(manifest.contributes.commands.map((c) => c.command));

vi.mock('../../../src/extension/attach.js', () => ({ attachGateway: () => new Promise<never>(() => undefined) }));
const { activate } = await import('../../../src/extension/extension.js');
const { WALKTHROUGH_ID } = await import('../../../src/extension/commands.js');

let context: ReturnType<typeof fakeContext>;
beforeEach(() => {
  resetFake();
  process.env.MCPLEXER_HOME = mkdtempSync(path.join(tmpdir(), 'mcplexer-home-'));
  context = fakeContext();
});
afterEach(() => {
  context.dispose();
  delete process.env.MCPLEXER_HOME;
});

describe('package.json contributions', () => {
  it('every contributed command is registered at activation, and every registered mcplexer.* command is contributed', () => {
    activate(context);
    const registered = [...fake.commands.keys()].filter((id) => id.startsWith('mcplexer.'));
    expect([...contributed].filter((id) => !fake.commands.has(id))).toEqual([]);
    // The approvals' notification actions take an id from a link; they are not for the palette.
    const internal = registered.filter((id) => !contributed.has(id));
    expect(
      internal.every((id) => /^mcplexer\.approvals\./.test(id)),
      internal.join(', '),
    ).toBe(true);
  });

  it('the walkthrough: its id is the one Get Started opens; each step names contributed commands and shipped markdown', () => {
    const walkthrough = manifest.contributes.walkthroughs[0]!;
    expect(`${manifest.publisher}.${manifest.name}#${walkthrough.id}`).toBe(WALKTHROUGH_ID);
    expect(walkthrough.steps.length).toBeGreaterThanOrEqual(4);
    const ignore = readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8');
    expect(ignore).toContain('!media/**');
    for (const step of walkthrough.steps) {
      const linked = [...step.description.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]!);
      const events = (step.completionEvents ?? []).filter((e) => e.startsWith('onCommand:')).map((e) => e.slice('onCommand:'.length));
      expect(linked.length, step.id).toBeGreaterThan(0);
      for (const id of [...linked, ...events]) expect(contributed.has(id), `${step.id}: ${id}`).toBe(true);
      const markdown = step.media.markdown!;
      expect(markdown.startsWith('media/'), step.id).toBe(true);
      expect(existsSync(path.join(ROOT, markdown)), markdown).toBe(true);
    }
  });

  it('Get Started opens the walkthrough', async () => {
    activate(context);
    const opened: unknown[][] = [];
    fake.commands.set('workbench.action.openWalkthrough', (...args: unknown[]) => void opened.push(args));
    await fake.commands.get('mcplexer.getStarted')!();
    // Twice: a new profile's first Welcome page shows VS Code's own walkthrough at the first request.
    expect(opened).toEqual([
      [WALKTHROUGH_ID, false],
      [WALKTHROUGH_ID, false],
    ]);
  });
});
