/**
 * The environment of a stdio child: the gateway's env minus what it withholds (`childVisibleEnv`),
 * PATH extended with the user bin dirs, then the server's `env` (with `${VAR}` expanded from the
 * same child-visible env), then the auth scope's values, which win. Scope values are secrets and
 * are never expanded. HTTP servers' `headers` expand from the same child-visible env, so a
 * reference to a withheld variable (`${MCPLEXER_EXTRA_TOKENS}`) expands to '' everywhere.
 */
import { delimiter } from 'node:path';

/** Gateway variables a child must not inherit: our own settings and the VS Code runtime switch. */
const WITHHELD = /^(MCPLEXER_|ELECTRON_RUN_AS_NODE$)/;

export interface ChildEnvInput {
  gatewayEnv: Record<string, string | undefined>;
  serverEnv: Record<string, string>;
  scopeEnv: Record<string, string>;
  extraPathDirs: string[];
}

/**
 * The variables of the gateway's env that a downstream server may see, the only source of `${VAR}`
 * expansion: everything but `MCPLEXER_*` (our settings and client tokens) and `ELECTRON_RUN_AS_NODE`.
 */
export function childVisibleEnv(gatewayEnv: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of Object.keys(gatewayEnv)) {
    const value = gatewayEnv[key];
    if (value !== undefined && !isWithheld(key)) env[key] = value;
  }
  return env;
}

/** True for a variable the gateway keeps from its downstream servers. */
export function isWithheld(name: string): boolean {
  return WITHHELD.test(name);
}

export function buildChildEnv(input: ChildEnvInput): Record<string, string> {
  const visible = childVisibleEnv(input.gatewayEnv);
  const env: Record<string, string> = { ...visible };
  env.PATH = extendPath(env.PATH ?? '', input.extraPathDirs);
  for (const key of Object.keys(input.serverEnv)) env[key] = expandVars(input.serverEnv[key]!, visible);
  for (const key of Object.keys(input.scopeEnv)) env[key] = input.scopeEnv[key]!;
  return env;
}

/** A server's `headers` with `${VAR}` expanded from the child-visible env (scope headers are added after, unexpanded). */
export function expandHeaders(headers: Record<string, string>, gatewayEnv: Record<string, string | undefined>): Record<string, string> {
  return expandMap(headers, childVisibleEnv(gatewayEnv));
}

/** Replaces each `${NAME}` with its value in `env` (empty when unset). `$NAME` is left alone. Pass a child-visible env. */
export function expandVars(value: string, env: Record<string, string | undefined>): string {
  if (!value.includes('${')) return value;
  // Own keys only: `${constructor}` must not expand to Object.prototype's function.
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, name: string) => (Object.hasOwn(env, name) ? (env[name] ?? '') : ''));
}

/** Expands `${VAR}` in every value of a map (server env, server headers). */
export function expandMap(values: Record<string, string>, env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(values)) out[key] = expandVars(values[key]!, env);
  return out;
}

/** Appends the dirs that PATH lacks, keeping PATH's own order so nothing already there is shadowed. */
export function extendPath(current: string, dirs: string[]): string {
  const parts = current ? current.split(delimiter) : [];
  const present = new Set(parts);
  for (const dir of dirs) {
    if (!present.has(dir)) {
      parts.push(dir);
      present.add(dir);
    }
  }
  return parts.join(delimiter);
}
