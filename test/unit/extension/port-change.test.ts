import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configurationChanged, fake, resetFake } from '../../fakes/vscode.js';
import { offerRestartOnPortChange } from '../../../src/extension/port-change.js';

/** Changing `mcplexer.port` while a gateway runs elsewhere offers a restart (it did nothing visible: a new user's trial). */
let restarts = 0;
const connection = { state: 'ready' as const, url: 'http://127.0.0.1:27080', problem: undefined, restart: async () => void restarts++ };
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

  it('with no gateway running (stopped, or failed on the old port), offers to start it on the new port; a start that fails says why and what to change', async () => {
    const stopped = {
      state: 'error' as 'error' | 'ready',
      url: undefined,
      problem: 'port 27082 on 127.0.0.1 is in use by process pid 1' as string | undefined,
      restart: async () => void restarts++,
    };
    disposable = offerRestartOnPortChange(stopped);
    fake.settings['mcplexer.port'] = 27082;
    fake.answers.message = 'Start Gateway';
    configurationChanged.fire(portChanged);
    await settle();
    expect(fake.messages[0]!.text).toBe('MCPlexer: no gateway is running. Start it on port 27082 (mcplexer.port) now?');
    expect(restarts).toBe(1);
    expect(fake.messages[1]).toEqual({
      level: 'error',
      text: 'MCPlexer could not start the gateway on port 27082: port 27082 on 127.0.0.1 is in use by process pid 1. Choose another port in the mcplexer.port setting.',
    });
  });
});
