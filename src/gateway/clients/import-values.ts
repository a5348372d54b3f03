/**
 * Variables in an imported entry's values, in MCPlexer's terms. MCPlexer expands `${NAME}` from its
 * own environment in a server's env values and header values only (downstream/child-env.ts
 * `expandVars`), and nothing in its command, args, cwd or url. Clients write the same reference
 * in their own syntax: VS Code and Cursor `${env:NAME}`, opencode `{env:NAME}`; those become
 * `${NAME}` where MCPlexer expands. What MCPlexer cannot resolve (VS Code's `${input:…}`, which
 * VS Code prompts for; Continue's `${{ secrets.… }}`; `${workspaceFolder}`; any reference outside
 * env and headers) is kept as written, with a warning naming the reference, never the value.
 */

/** `${env:NAME}` (VS Code, Cursor) and `{env:NAME}` (opencode, not after a `$`). */
const CLIENT_ENV_REF = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}|(?<!\$)\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;
/** Every reference left after conversion: `${…}` (and Continue's `${{ … }}`), `{env:…}`. */
const ANY_REF = /\$\{\{[^}]*\}\}|\$\{[^}]*\}|(?<!\$)\{env:[^}]*\}/g;
/** The one form MCPlexer expands. */
const EXPANDED = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;
/**
 * Names in `${NAME}` form that are the client's own variables, not the environment's (VS Code's
 * predefined variables): MCPlexer would expand them from its environment, where they are unset, to
 * nothing. A trial's `${workspaceFolder}/a` reached the server as `/a`.
 */
const CLIENT_VARIABLES = new Set([
  'workspaceFolder',
  'workspaceFolderBasename',
  'workspaceRoot',
  'userHome',
  'cwd',
  'file',
  'fileDirname',
  'fileBasename',
  'relativeFile',
  'pathSeparator',
  'execPath',
  'defaultBuildTask',
]);
/**
 * A value that is a bare `$NAME` (Gemini CLI expands it; MCPlexer does not). Only a whole value:
 * a `$` inside a longer value is as likely a password's character, and a warning must not quote it.
 */
const BARE_REF = /^\$([A-Za-z_][A-Za-z0-9_]*)$/;

/**
 * A reference as a warning shows it: `${NAME}` with anything after the name (a default,
 * `${TOKEN:-ghp_…}`, which is often the secret itself) left out.
 */
function shown(ref: string): string {
  if (ref.startsWith('${input:')) return ref; // an input's id, which the client prompts by: not a value
  const named = /^\$\{([A-Za-z_][A-Za-z0-9_]*)[^A-Za-z0-9_}][^}]*\}$/.exec(ref);
  return named ? `\${${named[1]}…}` : ref;
}

/** The value with the client's env references written as MCPlexer's `${NAME}`. */
export function toMcplexerRefs(value: string): string {
  return value.replace(CLIENT_ENV_REF, (_match, a: string | undefined, b: string | undefined) => `\${${a ?? b}}`);
}

/** Why MCPlexer cannot resolve one reference (`where` names the field, e.g. `env GITHUB_TOKEN`). */
function unresolved(full: string, where: string, expands: boolean): string {
  const ref = shown(full);
  if (ref.startsWith('${input:'))
    return `${where} uses ${ref}, which the client asks you for when it starts the server; MCPlexer cannot: set the value of ${where} in MCPlexer after the import`;
  if (ref.startsWith('${{'))
    return `${where} uses ${ref}, a secret of the client's own; MCPlexer cannot read it: set the value of ${where} in MCPlexer after the import`;
  if (!expands)
    return `${where} uses ${ref}, but MCPlexer expands variables only in env and header values: replace it with its value in MCPlexer after the import`;
  if (CLIENT_VARIABLES.has(ref.slice(2, -1)))
    return `${where} uses ${ref}, a variable of the client's own that MCPlexer would expand to nothing: replace it with its value in MCPlexer after the import`;
  return `${where} uses ${ref}, which MCPlexer does not expand (it expands \${NAME} from its own environment only): set the value in MCPlexer after the import`;
}

/**
 * A value as MCPlexer should hold it, and the warnings about references it cannot resolve.
 * `expands`: the value is an env or header value (MCPlexer expands `${NAME}` there); otherwise
 * (command, args, cwd, url) nothing is converted and every reference is warned about.
 */
export function convertValue(value: string, where: string, expands: boolean): { value: string; warnings: string[] } {
  const converted = expands ? toMcplexerRefs(value) : value;
  const refs = [...new Set(converted.match(ANY_REF) ?? [])];
  const warnings = refs
    .filter((ref) => !(expands && EXPANDED.test(ref) && !CLIENT_VARIABLES.has(ref.slice(2, -1))))
    .map((ref) => unresolved(ref, where, expands));
  const bare = BARE_REF.exec(converted)?.[1];
  if (bare !== undefined)
    warnings.push(`${where} is $${bare}, which MCPlexer passes on as it is (it expands only \${${bare}}): write \${${bare}} in MCPlexer after the import`);
  return { value: converted, warnings };
}

/** Every value of a map converted (`kind`: `env` or `header`), the warnings collected into `warnings`. */
export function convertMap(values: Record<string, string>, kind: string, warnings: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    const converted = convertValue(value, `${kind} ${name}`, true);
    out[name] = converted.value;
    warnings.push(...converted.warnings);
  }
  return out;
}

/** Each value converted as a field MCPlexer does not expand; the warnings collected into `warnings`. */
export function checkLiteral(values: readonly string[], where: string, warnings: string[]): void {
  for (const value of values) warnings.push(...convertValue(value, where, false).warnings);
}
