/**
 * The client capabilities an instance advertises to its downstream server, as a canonical key.
 * Sessions with different declared capabilities never share an instance (the key is part of the
 * instance key), so what a downstream is told never exceeds what the sessions behind it declared.
 * Spec: MCP 2025-11-25 "Lifecycle › Capability Negotiation", "Client Features" (roots, sampling,
 * elicitation with its `form`/`url` modes).
 */
import type { ClientCapabilities } from '@modelcontextprotocol/client';

/**
 * A canonical, comma-separated list of the relayable features a client declared, in a fixed
 * order: `roots`, `sampling`, `sampling.context`, `sampling.tools`, `elicitation.form`,
 * `elicitation.url`. The empty string means none. Build it with `clientCapabilityKey`; with
 * `withRoots`, it also carries the client's roots after a newline (see there).
 */
export type ClientCapabilityKey = string;

/** A root as the client listed it (MCP 2025-11-25 "Client Features › Roots"): a URI and an optional name. */
export interface Root {
  uri: string;
  name?: string;
}

/**
 * Everything the gateway can relay: what discovery advertises, so capability-dependent tools are
 * listed. Its roots are none: discovery is the gateway's own, no client's folders stand behind it.
 */
export const ALL_CLIENT_CAPABILITIES: ClientCapabilityKey = 'roots,sampling,sampling.context,sampling.tools,elicitation.form,elicitation.url\n[]';

/**
 * The key of a session that declared roots, with its roots: `<capabilities>\n<roots as JSON>`.
 * Sessions whose roots differ never share an instance (a server bounds what it may touch by the
 * roots, as server-filesystem does: one session's folders must not become another's), and the
 * instance answers the server's `roots/list` with them itself, whether or not a call is in flight.
 * Roots change nothing for a client that did not declare them. Roots not known yet (the client
 * has not answered) make the key the session's own, `<capabilities>\n?<owner>`: no other session
 * shares that instance, and its `roots/list` is relayed to the session's call.
 *
 * @param owner the session's id, for a key of its own while its roots are unknown
 */
export function withRoots(key: ClientCapabilityKey, roots: readonly Root[] | undefined, owner: string): ClientCapabilityKey {
  const capabilities = capabilitiesOf(key);
  if (!capabilities.split(',').includes('roots')) return capabilities;
  if (roots === undefined) return `${capabilities}\n?${owner}`;
  return `${capabilities}\n${JSON.stringify(roots.map((root) => (root.name === undefined ? { uri: root.uri } : { uri: root.uri, name: root.name })))}`;
}

/** The capabilities part of a key (without its roots). */
export function capabilitiesOf(key: ClientCapabilityKey): string {
  const end = key.indexOf('\n');
  return end < 0 ? key : key.slice(0, end);
}

/** The roots a key carries (`withRoots`), or undefined when it carries none. */
export function rootsOf(key: ClientCapabilityKey): Root[] | undefined {
  const end = key.indexOf('\n');
  return end < 0 || key[end + 1] === '?' ? undefined : (JSON.parse(key.slice(end + 1)) as Root[]);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The key of the capabilities a client declared in `initialize` (`params.capabilities`); anything
 * that is not an object counts as not declared. `elicitation: {}` means form mode (the spec's
 * backwards-compatible reading).
 */
export function clientCapabilityKey(declared: unknown): ClientCapabilityKey {
  if (!isObject(declared)) return '';
  const features: string[] = [];
  if (isObject(declared.roots)) features.push('roots');
  const sampling = declared.sampling;
  if (isObject(sampling)) {
    features.push('sampling');
    if (isObject(sampling.context)) features.push('sampling.context');
    if (isObject(sampling.tools)) features.push('sampling.tools');
  }
  const elicitation = declared.elicitation;
  if (isObject(elicitation)) {
    const form = isObject(elicitation.form);
    const url = isObject(elicitation.url);
    if (form || !url) features.push('elicitation.form');
    if (url) features.push('elicitation.url');
  }
  return features.join(',');
}

/** The capabilities object an instance with this key declares in its own `initialize`. */
export function advertisedCapabilities(key: ClientCapabilityKey): ClientCapabilities {
  const features = capabilitiesOf(key);
  const has = new Set(features === '' ? [] : features.split(','));
  const capabilities: ClientCapabilities = {};
  if (has.has('roots')) capabilities.roots = {};
  if (has.has('sampling')) {
    capabilities.sampling = {
      ...(has.has('sampling.context') ? { context: {} } : {}),
      ...(has.has('sampling.tools') ? { tools: {} } : {}),
    };
  }
  if (has.has('elicitation.form') || has.has('elicitation.url')) {
    capabilities.elicitation = {
      ...(has.has('elicitation.form') ? { form: {} } : {}),
      ...(has.has('elicitation.url') ? { url: {} } : {}),
    };
  }
  return capabilities;
}
