/**
 * What a running instance depends on: a change in any of these fields needs a new process or
 * connection. The pool compares it to retire stale instances; the composition root compares it to
 * stop a changed server at once. One function, so the two never disagree.
 */
import type { DownstreamServer } from '../config/index.js';

const cache = new WeakMap<DownstreamServer, string>();

/** The launch settings of a server as one string (transport, command, args, env, cwd, url, headers); cached per server object. */
export function launchKey(server: DownstreamServer): string {
  let key = cache.get(server);
  if (key === undefined) {
    key = JSON.stringify([server.transport, server.command, server.args, server.env, server.cwd, server.url, server.headers]);
    cache.set(server, key);
  }
  return key;
}
