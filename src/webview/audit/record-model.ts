/**
 * How one audit record reads in the list and in its detail, from the record alone (pure, no DOM).
 * The gateway's words are shown as they are (error codes, messages, names); nothing is re-decided.
 */
import type { AuditRecord } from '../../shared/schemas/audit.js';
import type { EntityKind, EntityNames } from '../../shared/webviews/entity-names.js';
import type { EntityRef } from '../shared/names.js';

export interface RecordRow {
  id: string;
  tool: string;
  status: AuditRecord['status'];
  /** Codicon of the status. */
  icon: string;
  /** Local clock time (HH:MM:SS). */
  time: string;
  latency: string;
  /** `error_code` (with `cached` for cache hits): the second line. */
  note: string;
}

export interface Fact {
  label: string;
  text: string;
  /** A stable key for tests and styling. */
  key: string;
  /** Shown on hover: the id of the entity the text names. */
  title?: string;
}

const ICONS: Record<AuditRecord['status'], string> = { success: 'pass', error: 'error', blocked: 'circle-slash' };

/** A latency in ms as people read it: µs under 1 ms, 1 decimal under 100 ms, whole ms above. */
export function formatLatency(ms: number): string {
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms)} ms`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

const pad = (n: number) => String(n).padStart(2, '0');
function clock(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

export function recordRow(record: AuditRecord): RecordRow {
  const notes = [record.error_code, record.cache_hit ? 'cached' : null, record.client_type].filter((n): n is string => Boolean(n));
  return {
    id: record.id,
    tool: record.tool_name,
    status: record.status,
    icon: ICONS[record.status] ?? 'circle',
    time: clock(record.timestamp),
    latency: formatLatency(record.latency_ms),
    note: notes.join(' · '),
  };
}

/** The entities a record names by id, for the names table (`refsToLookUp`). */
export function auditRefs(record: AuditRecord): EntityRef[] {
  return [
    ['servers', record.downstream_server_id],
    ['rules', record.route_rule_id],
    ['workspaces', record.workspace_id],
  ];
}

/**
 * An entity the record names, by name: the host's table first (current), else the name the record
 * carries; an id neither names is one deleted since (the table was read after the record, or the
 * gateway, which fills the record's name from its current config, found none). While no table has
 * arrived and the record says nothing either way, the id as it is.
 */
function referenced(
  names: EntityNames | undefined,
  kind: EntityKind,
  id: string | null,
  fromRecord: { name?: string | null; gone: boolean },
): { text: string; title?: string } {
  if (!id) return { text: '—' };
  const name = names?.[kind][id] ?? fromRecord.name;
  if (name) return { text: name, title: id };
  return { text: names || fromRecord.gone ? `${id} (deleted)` : id };
}

/** The detail's facts, in reading order. */
export function recordFacts(record: AuditRecord, names?: EntityNames): Fact[] {
  const rule = referenced(names, 'rules', record.route_rule_id, { gone: record.route_rule_summary === null });
  const server = referenced(names, 'servers', record.downstream_server_id, {
    name: record.downstream_server_name,
    gone: record.downstream_server_name === null,
  });
  const workspace = referenced(names, 'workspaces', record.workspace_id, { name: record.workspace_name, gone: false });
  const facts: Fact[] = [
    { key: 'tool', label: 'Tool', text: record.tool_name },
    { key: 'status', label: 'Status', text: record.error_code ? `${record.status} — ${record.error_code}` : record.status },
  ];
  if (record.error_message) facts.push({ key: 'error', label: 'Message', text: record.error_message });
  facts.push(
    { key: 'time', label: 'Time', text: new Date(record.timestamp).toLocaleString() },
    { key: 'latency', label: 'Latency', text: formatLatency(record.latency_ms) },
    { key: 'cache', label: 'Cache hit', text: record.cache_hit ? 'yes (answered from the cache)' : 'no' },
    record.route_rule_id ? { key: 'rule', label: 'Route rule', ...rule } : { key: 'rule', label: 'Route rule', text: 'none (default policy)' },
    { key: 'server', label: 'Server', ...server },
    { key: 'approval', label: 'Approval', text: record.approval_id ?? 'none' },
    { key: 'workspace', label: 'Workspace', ...workspace, text: `${workspace.text}${record.subpath ? ` · ${record.subpath}` : ''}` },
    { key: 'session', label: 'Session', text: record.session_id },
    { key: 'client', label: 'Client', text: [record.client_type, record.model].filter(Boolean).join(' · ') || '—' },
    { key: 'size', label: 'Response', text: formatBytes(record.response_size) },
    { key: 'method', label: 'Method', text: record.method },
    { key: 'id', label: 'Record', text: record.id },
  );
  return facts;
}

/** The redacted arguments as indented JSON (`[REDACTED]` where the gateway hid a secret). */
export function argumentsText(record: AuditRecord): string {
  if (record.params_redacted === null || record.params_redacted === undefined) return '(no arguments)';
  return JSON.stringify(record.params_redacted, null, 2);
}
