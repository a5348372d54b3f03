import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type * as vscode from 'vscode';

/** A minimal ExtensionContext for activate(): its own temp folder, an in-memory workspaceState. */
export function fakeContext(): vscode.ExtensionContext & { dispose(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'mcplexer-ext-'));
  const state = new Map<string, unknown>();
  const subscriptions: Array<{ dispose(): unknown }> = [];
  const context = {
    subscriptions,
    extension: { packageJSON: { version: '0.1.0' } },
    asAbsolutePath: (relative: string) => path.join(dir, relative),
    workspaceState: {
      get: (key: string, fallback?: unknown) => (state.has(key) ? state.get(key) : fallback),
      update: async (key: string, value: unknown) => void (value === undefined ? state.delete(key) : state.set(key, value)),
      keys: () => [...state.keys()],
    },
    dispose: () => subscriptions.forEach((s) => s.dispose()),
  };
  return context as unknown as vscode.ExtensionContext & { dispose(): void };
}
