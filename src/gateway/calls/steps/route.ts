import { BUILTIN_SERVER_ID } from '../../config/index.js';
import { GatewayError } from '../../errors.js';
import { strictest, type Decision } from '../../routing/index.js';
import type { CallRecord } from '../call-record.js';
import type { RuntimeConfig } from '../runtime-config.js';
import { decodedSpelling } from '../uri-normal-form.js';
import { SPEC_NAME } from './normalise.js';

/**
 * Step 2: the route decision over the session's workspace chain, from the router's cache (the
 * same function dry-run explains). It runs before anything else is said about the name (the
 * original's call order), so a name nobody offers is still refused by a deny, exactly as dry-run
 * reports it; only a call the route lets through learns that its tool (prompt, resource) is
 * unknown or its server disabled. Writes `record.decision`.
 *
 * @throws GatewayError `denied` (a deny rule; names the rule and why), `no_route` (the default
 *   policy denies, or the deciding rule's server is gone), `unknown_tool` (tools: no server offers
 *   the name), `invalid_params` (prompts: unknown prompt), `not_found` (resources: no server owns
 *   the URI), `server_disabled`; `denied` also for a server outside the session's tool set
 *   (`X-MCPlexer-Servers`), before any rule is asked
 */
export function route(config: RuntimeConfig, record: CallRecord): Decision {
  const { name, server } = record;
  if (record.servers && server && server.id !== BUILTIN_SERVER_ID && !record.servers.has(server.id)) throw outsideToolSet(record, server.name);
  const decision = decideSpellings(config, record);
  record.decision = decision;
  if (decision.error_code === 'denied')
    throw new GatewayError('denied', `route denied by policy: rule ${decision.rule?.id ?? '(default)'} — ${decision.reason}`);
  if (decision.error_code === 'no_route') throw new GatewayError('no_route', `no route for "${name}": ${decision.reason}`);
  if (!server || record.downstreamName === undefined) throw unknownName(record);
  // A name its server did not list goes to the server by its namespace (not discovered yet, new
  // since): only when it is a name a tool can have. `danger `, `danger\u0000` or `../danger` is
  // not passed on for the server to trim or resolve into a tool a rule denies by its exact name.
  if (record.method === 'tools/call' && record.entry === undefined && server.id !== BUILTIN_SERVER_ID && !SPEC_NAME.test(record.downstreamName))
    throw unlistedTool(record, server.name);
  if (!server.enabled) throw new GatewayError('server_disabled', `downstream server "${server.name}" is disabled`);
  if (decision.error_code) throw new GatewayError('no_route', `no route for "${name}": ${decision.reason}`);
  return decision;
}

/**
 * A resource URI that keeps percent-encodings (of reserved characters: `%2F`) is decided by its
 * decoded spelling too, strictest wins, as a directory reached through a link is: the server may
 * decode `secret%2Fkey` into the `secret/key` a rule denies. Anything else: one decision.
 */
function decideSpellings(config: RuntimeConfig, record: CallRecord): Decision {
  const options = { owner: record.server, readOnly: record.readOnly };
  const decision = config.router.decide(record.target, record.name, options);
  if (record.method !== 'resources/read' || !record.name.includes('%')) return decision;
  const decoded = decodedSpelling(record.name);
  return decoded === record.name ? decision : strictest([decision, config.router.decide(record.target, decoded, options)]);
}

/** A call to a server the session's `X-MCPlexer-Servers` header leaves out. */
function outsideToolSet(record: CallRecord, serverName: string): GatewayError {
  return new GatewayError(
    'denied',
    `"${record.requested}" belongs to server "${serverName}", which this session's X-MCPlexer-Servers header leaves out of its tool set; add the server to that header (or leave the header out) to call it`,
  );
}

/** A tools/call of a name its server did not list and no tool can have. */
function unlistedTool(record: CallRecord, serverName: string): GatewayError {
  return new GatewayError(
    'unknown_tool',
    `unknown tool ${JSON.stringify(record.requested)}: downstream server "${serverName}" does not list it, and a tool name is 1 to 128 of A-Z, a-z, 0-9, _, - and . (tools/list shows the tools this workspace can call)`,
  );
}

/** The refusal of a name no server offers, in the words of the record's method. */
export function unknownName(record: CallRecord): GatewayError {
  switch (record.method) {
    case 'tools/call':
      return new GatewayError(
        'unknown_tool',
        `unknown tool "${record.name}": no downstream server offers it (tools/list shows the tools this workspace can call)`,
      );
    case 'resources/read':
      return new GatewayError(
        'not_found',
        `resource "${record.requested}" not found: gateway URIs look like mcplexer://<namespace>/<uri> (see resources/list)`,
      );
    default:
      return new GatewayError('invalid_params', `unknown prompt "${record.requested}" (prompts/list shows the prompts this gateway offers)`);
  }
}
