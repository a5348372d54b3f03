/**
 * The Servers view model: one row per downstream server (the built-in `mcpx` server is left out, as
 * in health) with its live state, instances, tools, stderr and, when tools are missing in this
 * window, the explanation. Pure, so it is tested without a DOM.
 */
import type { ServersSnapshot } from '../../shared/webviews/servers-protocol.js';
import { explainFromHealth, explainVisibility, type Explanation } from './explain.js';

export const SERVER_STATES = ['ready', 'busy', 'idle', 'starting', 'stopping', 'stopped', 'disabled', 'failed'] as const;

export interface ToolRow {
  name: string;
  description: string;
}

export interface ServerRow {
  id: string;
  name: string;
  namespace: string;
  transport: string;
  /** The command line or the URL. */
  target: string;
  enabled: boolean;
  /** `source: yaml` servers are edited in the YAML file, not here. */
  readOnly: boolean;
  state: string;
  stateIcon: { name: string; spin: boolean; tone: 'ok' | 'busy' | 'muted' | 'error' };
  instances: number;
  inFlight: number;
  tools: ToolRow[];
  /** Tools visible in this window, when the gateway said. */
  toolsVisible?: number;
  stderr: string[];
  lastError?: string;
  explanation?: Explanation;
}

export interface ServersModel {
  rows: ServerRow[];
  /** Parts of the snapshot that failed (health, visibility), in words. */
  notes: string[];
}

/** Live state from `downstream.state` events, newer than the snapshot. */
export type LiveStates = Record<string, { state: string; error?: string }>;

const ICONS: Record<string, ServerRow['stateIcon']> = {
  ready: { name: 'pass', spin: false, tone: 'ok' },
  busy: { name: 'sync', spin: true, tone: 'busy' },
  idle: { name: 'circle-large-outline', spin: false, tone: 'muted' },
  starting: { name: 'loading', spin: true, tone: 'busy' },
  stopping: { name: 'loading', spin: true, tone: 'muted' },
  stopped: { name: 'circle-slash', spin: false, tone: 'muted' },
  disabled: { name: 'circle-slash', spin: false, tone: 'muted' },
  failed: { name: 'error', spin: false, tone: 'error' },
};

export function stateIcon(state: string): ServerRow['stateIcon'] {
  return ICONS[state] ?? { name: 'question', spin: false, tone: 'muted' };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function toolRows(tools: ReadonlyArray<Record<string, unknown>>): ToolRow[] {
  return tools
    .filter((tool) => typeof tool.name === 'string')
    .map((tool) => ({ name: tool.name as string, description: typeof tool.description === 'string' ? tool.description : '' }));
}

function commandLine(command: string | undefined, args: readonly string[]): string {
  return [command ?? '', ...args].map((word) => (/[\s"'\\]/.test(word) ? JSON.stringify(word) : word)).join(' ');
}

export function buildServersModel(snapshot: ServersSnapshot, live: LiveStates = {}): ServersModel {
  const notes: string[] = [];
  if (!snapshot.health.ok) notes.push(`Live state unavailable: ${snapshot.health.error.message}`);
  // Without a folder there is nothing to ask (not a failure): the host's reason, as a plain note.
  if (!snapshot.visibility.ok)
    notes.push(
      snapshot.visibility.error.code === 'no_folders'
        ? capitalise(snapshot.visibility.error.message)
        : `The gateway could not say which tools this window sees: ${snapshot.visibility.error.message}`,
    );
  const health = new Map(snapshot.health.ok ? snapshot.health.value.downstreams.map((h) => [h.server_id, h]) : []);
  const visibility = new Map(snapshot.visibility.ok ? snapshot.visibility.value.servers.map((v) => [v.server_id, v]) : []);
  const rows = snapshot.downstreams
    .filter((server) => server.transport !== 'internal')
    .map((server): ServerRow => {
      const h = health.get(server.id);
      const v = visibility.get(server.id);
      const liveState = live[server.id];
      const state = !server.enabled ? 'disabled' : (liveState?.state ?? h?.state ?? 'stopped');
      const lastError = liveState?.error ?? h?.last_error;
      const explanation = v
        ? explainVisibility(v)
        : explainFromHealth(server, h, snapshot.visibility.ok ? 'no entry for this server' : snapshot.visibility.error.message);
      return {
        id: server.id,
        name: server.name,
        namespace: server.namespace,
        transport: server.transport,
        target: server.transport === 'http' ? (server.url ?? '') : commandLine(server.command, server.args),
        enabled: server.enabled,
        readOnly: server.source === 'yaml',
        state,
        stateIcon: stateIcon(state),
        instances: h?.instances.length ?? 0,
        inFlight: h?.instances.reduce((sum, instance) => sum + (instance.in_flight ?? 0), 0) ?? 0,
        tools: toolRows(server.tools),
        ...(v ? { toolsVisible: v.tools_visible } : {}),
        stderr: h?.stderr_tail ?? [],
        ...(lastError ? { lastError } : {}),
        ...(explanation ? { explanation } : {}),
      };
    });
  return { rows, notes };
}
