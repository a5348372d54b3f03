import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configurationChanged, fake, resetFake } from '../../fakes/vscode.js';
import { offerRestartOnPortChange } from '../../../src/extension/port-change.js';

/** Changing `mcplexer.port` while a gateway runs elsewhere offers a restart (it did nothing visible: a new user's trial). */
let restarts = 0;
const connection = { state: 'ready' as const, url: 'http://127.0.0.1:27080', restart: async () => void restarts++ };
const portChanged = { affectsConfiguration: (section: string) => section === 'mcplexer.port' };
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

beforeEach(() => {
  resetFake();
  restarts = 0;
});
let disposable: { dispose(): void } | undefined;
afterEach(() => disposable?.dispose());

describe('offerRestartOnPortChange', () => {
  it('offers a restart naming both ports, and restarts when accepted', async () => {
    disposable = offerRestartOnPortChange(connection);
    fake.settings['mcplexer.port'] = 27081;
    fake.answers.message = 'Restart Gateway';
    configurationChanged.fire(portChanged);
    await settle();
    expect(fake.messages.at(-1)!.text).toMatch(/runs on port 27080; mcplexer\.port \(27081\) applies when it starts again/);
    expect(restarts).toBe(1);
  });

  it('does nothing when declined, when the port is the one running, or when another setting changed', async () => {
    disposable = offerRestartOnPortChange(connection);
    fake.settings['mcplexer.port'] = 27081;
    configurationChanged.fire(portChanged);
    await settle();
    expect(fake.messages).toHaveLength(1);
    fake.settings['mcplexer.port'] = 27080;
    configurationChanged.fire(portChanged);
    configurationChanged.fire({ affectsConfiguration: (section) => section === 'mcplexer.logLevel' });
    await settle();
    expect(fake.messages).toHaveLength(1);
    expect(restarts).toBe(0);
  });
});
