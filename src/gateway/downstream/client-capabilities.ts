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
 * `elicitation.url`. The empty string means none. Build it with `clientCapabilityKey`.
 */
export type ClientCapabilityKey = string;

/** Everything the gateway can relay: what discovery advertises, so capability-dependent tools are listed. */
export const ALL_CLIENT_CAPABILITIES: ClientCapabilityKey = 'roots,sampling,sampling.context,sampling.tools,elicitation.form,elicitation.url';

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
  const has = new Set(key === '' ? [] : key.split(','));
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
