import { describe, expect, it } from 'vitest';
import { HostChannel, type Handlers } from '../../../src/shared/webviews/host/host-channel.js';
import { ViewError } from '../../../src/shared/webviews/host/wire-error.js';
import { ApiError } from '../../../src/shared/rest-client.js';
import { routesProtocol, type RoutesProtocol } from '../../../src/shared/webviews/routes-protocol.js';
import { RequestError, ViewChannel } from '../../../src/webview/shared/channel.js';

/**
 * Request/response correlation across the real host channel and the real view channel, wired to
 * each other in memory: answers settle the request with their id whatever order they come in, a
 * gateway refusal keeps its status and details, and a malformed message settles instead of hanging.
 */
const rule = { id: 'r1', workspace_id: 'proj', tool_pattern: 'a__*', path_glob: '**', policy: 'allow', priority: 100, approval_mode: 'none' };

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

function wire(handlers: Partial<Handlers<RoutesProtocol>>) {
  const hostLog: string[] = [];
  const viewLog: string[] = [];
  const toHost: unknown[] = [];
  const settled: Array<Promise<void>> = [];
  // postMessage is asynchronous in a webview: deliver on a later turn, as VS Code does.
  const view = new ViewChannel(
    routesProtocol,
    { postMessage: (m) => void (toHost.push(m), setTimeout(() => settled.push(host.receive(m)))) },
    (r) => void viewLog.push(r),
  );
  const host: HostChannel<RoutesProtocol> = new HostChannel(
    routesProtocol,
    handlers as Handlers<RoutesProtocol>,
    (message) => setTimeout(() => view.receive(message)),
    { warn: (m) => void hostLog.push(m), error: (m) => void hostLog.push(m) },
  );
  return { view, host, hostLog, viewLog, toHost, settled };
}

describe('host ↔ view correlation', () => {
  it('settles each request with the answer of its own id when answers come back out of order', async () => {
    const first = deferred<unknown>();
    const second = deferred<unknown>();
    const { view } = wire({
      'routes/update': ({ id }) => (id === 'r1' ? first.promise : second.promise),
    });
    const a = view.request('routes/update', { id: 'r1', body: { priority: 1 } });
    const b = view.request('routes/update', { id: 'r2', body: { priority: 2 } });
    await new Promise((r) => setTimeout(r, 5));
    second.resolve({ ...rule, id: 'r2', priority: 2 });
    first.resolve({ ...rule, id: 'r1', priority: 1 });
    expect(await a).toMatchObject({ id: 'r1', priority: 1 });
    expect(await b).toMatchObject({ id: 'r2', priority: 2 });
    expect(view.inFlight).toBe(0);
  });

  it('turns a gateway refusal into a RequestError with its status, code and field details', async () => {
    const body = {
      error: {
        code: 'validation_failed',
        message: 'invalid request body: path_glob: has an unbalanced "["',
        details: [{ path: 'path_glob', message: 'has an unbalanced "["' }],
      },
    };
    const { view, hostLog } = wire({ 'routes/create': () => Promise.reject(new ApiError(400, body, body.error.message)) });
    const error = await view.request('routes/create', { body: { workspace_id: 'w', path_glob: '**' } as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestError);
    expect((error as RequestError).wire).toEqual({ code: 'validation_failed', message: body.error.message, status: 400, details: body.error.details });
    // A 4xx is the user's to read in the view, not a log line.
    expect(hostLog).toEqual([]);
  });

  it('answers "gateway_unavailable" while the connection is down, and logs a non-gateway failure', async () => {
    const { view, hostLog } = wire({
      'routes/delete': () => Promise.reject(new ViewError('gateway_unavailable', 'The MCPlexer gateway is still starting')),
      'routes/snapshot': () => Promise.reject(new Error('disk on fire')),
    });
    await expect(view.request('routes/delete', { id: 'r1' })).rejects.toMatchObject({ wire: { code: 'gateway_unavailable' } });
    await expect(view.request('routes/snapshot', {})).rejects.toMatchObject({ wire: { code: 'internal', message: 'disk on fire' } });
    expect(hostLog.join('\n')).toContain('"routes/snapshot" failed: disk on fire');
  });

  it('refuses an answer of the wrong shape (checked against the result schema) instead of passing it on', async () => {
    const { view, hostLog } = wire({ 'routes/update': async () => ({ id: 'r1' }) });
    const error = (await view.request('routes/update', { id: 'r1', body: {} }).catch((e: unknown) => e)) as RequestError;
    expect(error.wire.code).toBe('unexpected_answer');
    expect(error.wire.message).toContain('result.workspace_id');
    expect(hostLog.join('\n')).toContain('unexpected shape');
  });

  it('answers a malformed request that carries an id, so the view does not wait forever; drops one without an id', async () => {
    const hostLog: string[] = [];
    const posted: unknown[] = [];
    const bare = new HostChannel(routesProtocol, {} as Handlers<RoutesProtocol>, (m) => void posted.push(m), {
      warn: (m) => void hostLog.push(m),
      error: () => undefined,
    });
    await bare.receive({ kind: 'request', id: 7, method: 'routes/delete', params: { id: '' } });
    await bare.receive({ kind: 'request', method: 'routes/delete', params: {} });
    await bare.receive(null);
    expect(posted).toEqual([
      {
        kind: 'response',
        id: 7,
        method: 'routes/delete',
        ok: false,
        error: { code: 'invalid_message', message: expect.stringContaining('params.id: must not be empty'), details: [] },
      },
    ]);
    expect(hostLog).toHaveLength(3);
  });

  it('settles a request whose response the view cannot read, and reports the drop to the host', async () => {
    const toHost: unknown[] = [];
    const logged: string[] = [];
    const view = new ViewChannel(routesProtocol, { postMessage: (m) => void toHost.push(m) }, (r) => void logged.push(r));
    const pending = view.request('routes/delete', { id: 'r1' });
    view.receive({ kind: 'response', id: 1, method: 'routes/delete', ok: true, result: 'nope' });
    await expect(pending).rejects.toMatchObject({ wire: { code: 'invalid_message' } });
    expect(toHost.at(-1)).toEqual({
      kind: 'notify',
      method: 'view/dropped',
      params: { reason: expect.stringContaining('response to "routes/delete": result:') },
    });
    // A stray response (no pending id) is logged, not thrown.
    view.receive({ kind: 'response', id: 99, method: 'routes/delete', ok: true, result: {} });
    expect(logged.at(-1)).toContain('id 99 matches no pending request');
  });

  it('delivers notifications to their listeners only, and refuses to send an invalid one', () => {
    const posted: unknown[] = [];
    const errors: string[] = [];
    const host = new HostChannel(routesProtocol, {} as Handlers<RoutesProtocol>, (m) => void posted.push(m), {
      warn: () => undefined,
      error: (m) => void errors.push(m),
    });
    expect(host.notify('routes/runDryRun', { tool_name: 'a__b' })).toBe(true);
    expect(host.notify('routes/runDryRun', { tool_name: '' })).toBe(false);
    expect(posted).toHaveLength(1);
    expect(errors[0]).toContain('not sending "routes/runDryRun"');
    const view = new ViewChannel(routesProtocol, { postMessage: () => undefined });
    const seen: string[] = [];
    view.on('routes/runDryRun', (p) => void seen.push(p.tool_name));
    view.on('routes/showAdd', () => void seen.push('add'));
    view.receive(posted[0]);
    expect(seen).toEqual(['a__b']);
  });
});
