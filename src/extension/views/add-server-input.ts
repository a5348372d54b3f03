/**
 * The palette's Add Server… flow as pure steps: each input box is checked with the field's own
 * schema from `src/shared/schemas` as the user types, and the answers become one create body
 * checked with the gateway's `downstreamCreateSchema`, so the POST is the only write and nothing is
 * half-made when a step is cancelled or refused.
 */
import { downstreamCreateSchema, nameSchema, newNamespaceSchema, type DownstreamCreate } from '../../shared/schemas/index.js';
import { fieldErrorsFromZod, type FieldErrors } from '../../shared/webviews/field-errors.js';

export interface AddServerAnswers {
  name: string;
  namespace: string;
  /** An http(s) URL (a remote server) or a command line (a stdio server). */
  target: string;
}

const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

export { suggestNamespace } from '../../shared/namespace-suggestion.js';

/**
 * Splits a command line as a POSIX shell would for words and quotes (no expansion): `'…'` literal,
 * `"…"` with `\"` and `\\`, a backslash escaping the next character outside quotes.
 * @throws Error naming the open quote when one is not closed
 */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) word += line[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`the ${quote === '"' ? 'double' : 'single'} quote is not closed`);
  if (inWord) words.push(word);
  return words;
}

/** The create body the answers stand for (not yet validated). */
export function createBody(answers: AddServerAnswers): Record<string, unknown> {
  const target = answers.target.trim();
  if (URL_LIKE.test(target)) return { name: answers.name, namespace: answers.namespace, transport: 'http', url: target };
  const [command = '', ...args] = splitCommandLine(target);
  return { name: answers.name, namespace: answers.namespace, transport: 'stdio', command, args };
}

/** The servers already there: a name or namespace of theirs is refused at its step, not after the last. */
export interface TakenNames {
  names: ReadonlySet<string>;
  /** namespace → the name of the server that has it */
  namespaces: ReadonlyMap<string, string>;
}

/**
 * What `showInputBox`'s `validateInput` shows for one step (undefined: fine).
 * @param taken the existing servers: a taken name or namespace is said at once (a new user's trial:
 *   the gateway refused a taken namespace only after the third step, and every answer was lost)
 */
export function validateStep(step: keyof AddServerAnswers, value: string, taken?: TakenNames): string | undefined {
  if (step === 'name')
    return firstIssue(nameSchema.safeParse(value)) ?? (taken?.names.has(value.trim()) ? `a server is already called "${value.trim()}"` : undefined);
  if (step === 'namespace') {
    const owner = taken?.namespaces.get(value);
    return (
      firstIssue(newNamespaceSchema.safeParse(value)) ??
      (owner !== undefined ? `the namespace "${value}" is taken by the server "${owner}": choose another` : undefined)
    );
  }
  if (value.trim() === '') return 'Enter a command line (a stdio server) or an http(s):// URL (a remote server)';
  try {
    const body = createBody({ name: 'x', namespace: 'x', target: value });
    const checked = downstreamCreateSchema.safeParse(body);
    if (checked.success) return undefined;
    const errors = fieldErrorsFromZod(checked.error, ['command', 'url', 'args']);
    const message = errors.fields.url ?? errors.fields.command ?? errors.fields.args;
    return message ? `${errors.fields.url ? 'url' : 'command'} ${message}` : undefined;
  } catch (error) {
    return `Command line: ${(error as Error).message}`;
  }
}

/** The answers checked as one body with the gateway's schema: the body to POST, or the errors by field. */
export function checkAnswers(answers: AddServerAnswers): { ok: true; body: DownstreamCreate } | { ok: false; errors: FieldErrors } {
  let body: Record<string, unknown>;
  try {
    body = createBody(answers);
  } catch (error) {
    return { ok: false, errors: { fields: { command: (error as Error).message }, other: [] } };
  }
  const checked = downstreamCreateSchema.safeParse(body);
  if (checked.success) return { ok: true, body: checked.data };
  return { ok: false, errors: fieldErrorsFromZod(checked.error, ['name', 'namespace', 'command', 'args', 'url', 'transport']) };
}

function firstIssue(result: { success: boolean; error?: { issues: Array<{ message: string }> } }): string | undefined {
  return result.success ? undefined : result.error?.issues[0]?.message;
}
