/**
 * The Add/Edit server form as data: the form's text values ↔ a create or update body, checked with
 * the gateway's own schemas (`downstreamCreateSchema`, `downstreamUpdateSchema` from
 * src/shared/schemas), errors by field. The gateway's 400 details map to the same fields.
 */
import { downstreamCreateSchema, downstreamUpdateSchema, type DownstreamServer } from '../../shared/schemas/index.js';
import { fieldErrorsFromZod, type FieldErrors } from '../../shared/webviews/field-errors.js';
import { suggestNamespace } from '../../shared/namespace-suggestion.js';

export const SERVER_FORM_FIELDS = [
  'name',
  'namespace',
  'transport',
  'command',
  'args',
  'cwd',
  'env',
  'url',
  'headers',
  'discovery',
  'enabled',
  'max_instances',
  'idle_timeout_sec',
] as const;
export type ServerFormField = (typeof SERVER_FORM_FIELDS)[number];

/** The fields' labels, as the form shows them (also in the error summary beside Save). */
export const SERVER_FIELD_LABELS: Record<ServerFormField, string> = {
  name: 'Name',
  namespace: 'Namespace',
  transport: 'Transport',
  command: 'Command',
  args: 'Arguments',
  cwd: 'Working directory',
  env: 'Environment',
  url: 'URL',
  headers: 'Headers',
  discovery: 'Discovery',
  enabled: 'Enabled',
  max_instances: 'Max instances',
  idle_timeout_sec: 'Idle timeout',
};

export interface ServerFormValues {
  name: string;
  namespace: string;
  transport: 'stdio' | 'http';
  command: string;
  /** One argument per line. */
  args: string;
  cwd: string;
  /** `KEY=VALUE` per line. */
  env: string;
  url: string;
  /** `Name: value` per line. */
  headers: string;
  discovery: 'static' | 'dynamic';
  enabled: boolean;
  max_instances: string;
  idle_timeout_sec: string;
}

export function emptyServerForm(): ServerFormValues {
  return {
    name: '',
    namespace: '',
    transport: 'stdio',
    command: '',
    args: '',
    cwd: '',
    env: '',
    url: '',
    headers: '',
    discovery: 'static',
    enabled: true,
    max_instances: '1',
    idle_timeout_sec: '300',
  };
}

/**
 * The name typed into the Add form: the namespace follows it (as the palette's Add Server…
 * suggests) while it is empty or still the suggestion for the name before; once the user writes
 * a namespace of their own it is left alone (a new user's trial submitted an empty namespace).
 *
 * @returns whether the namespace changed (the form shows it)
 */
export function typeName(values: ServerFormValues, name: string): boolean {
  const following = values.namespace === '' || values.namespace === suggestNamespace(values.name);
  values.name = name;
  if (!following) return false;
  const next = suggestNamespace(name);
  if (next === values.namespace) return false;
  values.namespace = next;
  return true;
}

export function serverToForm(server: DownstreamServer): ServerFormValues {
  return {
    name: server.name,
    namespace: server.namespace,
    transport: server.transport === 'http' ? 'http' : 'stdio',
    command: server.command ?? '',
    args: server.args.join('\n'),
    cwd: server.cwd ?? '',
    env: Object.entries(server.env)
      .map(([key, value]) => `${key}=${value}`)
      .join('\n'),
    url: server.url ?? '',
    headers: Object.entries(server.headers)
      .map(([key, value]) => `${key}: ${value}`)
      .join('\n'),
    discovery: server.discovery,
    enabled: server.enabled,
    max_instances: String(server.max_instances),
    idle_timeout_sec: String(server.idle_timeout_sec),
  };
}

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line, index) => ({ line: line.trim(), number: index + 1 }))
    .filter(({ line }) => line !== '');

/** `KEY<sep>VALUE` lines → a map; a line without the separator is an error naming its number. */
function pairs(text: string, separator: string, example: string): { map: Record<string, string>; error?: string } {
  const map: Record<string, string> = {};
  for (const { line, number } of lines(text)) {
    const at = line.indexOf(separator);
    if (at <= 0) return { map, error: `line ${number}: expected ${example}` };
    map[line.slice(0, at).trim()] = line.slice(at + separator.length).trim();
  }
  return { map };
}

function integer(text: string): number | string | undefined {
  if (text.trim() === '') return undefined;
  return /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : text;
}

export type FormResult = { ok: true; body: Record<string, unknown> } | { ok: false; errors: FieldErrors };

/**
 * The body for `POST /downstreams` (create) or `PUT /downstreams/{id}` (update) the values stand for,
 * checked with the gateway's schema. A stdio server sends command, args, cwd and env; an http one url
 * and headers. In an update an emptied `cwd` is `null` (removed), and only the fields whose value
 * differs from `initial` (the form as it opened) are sent: `PUT` merges, and the gateway re-derives
 * what follows another field (a new transport drops the other one's fields), so a stored value the
 * user did not touch never fights the one they changed.
 */
export function serverFormToBody(values: ServerFormValues, mode: 'create' | 'update', initial?: ServerFormValues): FormResult {
  const local: Record<string, string> = {};
  const env = pairs(values.env, '=', 'KEY=VALUE');
  if (env.error) local.env = env.error;
  const headers = pairs(values.headers, ':', 'Name: value');
  if (headers.error) local.headers = headers.error;
  const body: Record<string, unknown> = {
    name: values.name,
    namespace: values.namespace,
    transport: values.transport,
    discovery: values.discovery,
    enabled: values.enabled,
  };
  const maxInstances = integer(values.max_instances);
  const idle = integer(values.idle_timeout_sec);
  if (typeof maxInstances === 'string') local.max_instances = 'must be a whole number';
  else if (maxInstances !== undefined) body.max_instances = maxInstances;
  if (typeof idle === 'string') local.idle_timeout_sec = 'must be a whole number of seconds';
  else if (idle !== undefined) body.idle_timeout_sec = idle;
  if (values.transport === 'stdio') {
    body.command = values.command.trim();
    body.args = lines(values.args).map(({ line }) => line);
    body.env = env.map;
    if (values.cwd.trim() !== '') body.cwd = values.cwd.trim();
    else if (mode === 'update') body.cwd = null;
  } else {
    body.url = values.url.trim();
    body.headers = headers.map;
  }
  if (mode === 'update' && initial) {
    for (const field of SERVER_FORM_FIELDS) {
      if (values[field] !== initial[field]) continue;
      delete body[field];
      delete local[field];
    }
  }
  const checked = (mode === 'create' ? downstreamCreateSchema : downstreamUpdateSchema).safeParse(body);
  const errors: FieldErrors = checked.success ? { fields: {}, other: [] } : fieldErrorsFromZod(checked.error, SERVER_FORM_FIELDS);
  // The form's own line errors are more precise than the schema's on the same field.
  Object.assign(errors.fields, local);
  if (Object.keys(errors.fields).length > 0 || errors.other.length > 0) return { ok: false, errors };
  // The body as typed, not the parsed one: the gateway applies its defaults itself.
  return { ok: true, body };
}
