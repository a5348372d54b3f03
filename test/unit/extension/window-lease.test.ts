import type * as vscode from 'vscode';
import { describe, expect, it } from 'vitest';
import { ApiError, type RestClient } from '../../../src/shared/rest-client.js';
import { WindowLease } from '../../../src/extension/window-lease.js';
import { compareVersions, supportsMcpProvider } from '../../../src/extension/version.js';
import { fake, window } from '../../fakes/vscode.js';

function recordingClient(answers: { renew?: number; register?: number }) {
  const calls: string[] = [];
  const fail = (status: number) => Promise.reject(new ApiError(status, undefined, `HTTP ${status}`));
  const client = {
    registerWindow: async (body: { window_id: string; folders: string[] }) => {
      calls.push(`register ${body.window_id} ${body.folders.join(',')}`);
      return answers.register ? fail(answers.register) : { window_id: body.window_id, lease_sec: 60, expires_at: '' };
    },
    renewWindowLease: async (id: string) => {
      calls.push(`renew ${id}`);
      return answers.renew ? fail(answers.renew) : { window_id: id, lease_sec: 60, expires_at: '' };
    },
    unregisterWindow: async (id: string) => void calls.push(`unregister ${id}`),
  };
  return { calls, client: client as unknown as RestClient };
}

const log = window.createOutputChannel('t') as unknown as vscode.LogOutputChannel;

describe('the window lease', () => {
  it('registers the folders, renews, registers again when the daemon forgot the window (404), unregisters', async () => {
    const { calls, client } = recordingClient({});
    const lease = new WindowLease({ windowId: 'w1', version: '0.1.0', client: () => client, folders: () => ['/a', '/b'], log });
    await lease.register();
    await lease.renew();
    const forgot = recordingClient({ renew: 404 });
    const lease2 = new WindowLease({ windowId: 'w2', version: '0.1.0', client: () => forgot.client, folders: () => ['/c'], log });
    await lease2.renew();
    await lease.unregister();
    lease2.dispose();
    expect(calls).toEqual(['register w1 /a,/b', 'renew w1', 'unregister w1']);
    expect(forgot.calls).toEqual(['renew w2', 'register w2 /c']);
  });

  it('a daemon without window registration (404 on register) is told once, and never polled again', async () => {
    const { calls, client } = recordingClient({ register: 404 });
    const lease = new WindowLease({ windowId: 'w', version: '0.1.0', client: () => client, folders: () => [], log });
    await lease.register();
    await lease.register();
    lease.dispose();
    expect(calls).toEqual(['register w ']);
    expect(fake.logLines.filter((l) => l.includes('no window registration'))).toHaveLength(1);
  });
});

describe('versions', () => {
  it('orders dotted versions and pre-releases', () => {
    expect(compareVersions('0.1.0', '0.2.0')).toBeLessThan(0);
    expect(compareVersions('1.10.0', '1.9.9')).toBeGreaterThan(0);
    expect(compareVersions('0.1.0', '0.1')).toBe(0);
    expect(compareVersions('0.2.0-beta', '0.2.0')).toBeLessThan(0);
  });

  it('the MCP provider needs VS Code 1.101', () => {
    expect(['1.100.0', '1.100.3', '1.99.9'].map(supportsMcpProvider)).toEqual([false, false, false]);
    expect(['1.101.0', '1.103.2', '2.0.0'].map(supportsMcpProvider)).toEqual([true, true, true]);
  });
});
