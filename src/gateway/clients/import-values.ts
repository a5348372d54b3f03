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

/** The value with the client's env references written as MCPlexer's `${NAME}`. */
export function toMcplexerRefs(value: string): string {
  return value.replace(CLIENT_ENV_REF, (_match, a: string | undefined, b: string | undefined) => `\${${a ?? b}}`);
}

/** Why MCPlexer cannot resolve one reference (`where` names the field, e.g. `env GITHUB_TOKEN`). */
function unresolved(ref: string, where: string, expands: boolean): string {
  if (ref.startsWith('${input:'))
    return `${where} uses ${ref}, which the client asks you for when it starts the server; MCPlexer cannot: set the value of ${where} in MCPlexer after the import`;
  if (ref.startsWith('${{'))
    return `${where} uses ${ref}, a secret of the client's own; MCPlexer cannot read it: set the value of ${where} in MCPlexer after the import`;
  if (!expands)
    return `${where} uses ${ref}, but MCPlexer expands variables only in env and header values: replace it with its value in MCPlexer after the import`;
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
  const warnings = refs.filter((ref) => !(expands && EXPANDED.test(ref))).map((ref) => unresolved(ref, where, expands));
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
