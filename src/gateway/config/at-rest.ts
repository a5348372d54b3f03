import { GatewayError } from '../errors.js';
import { hasSecretShape } from '../redaction/index.js';
import { isEncrypted, type SecretBox } from '../secrets/index.js';
import type { ConfigState, DownstreamServer } from './schemas/index.js';

/** The fields of a downstream server whose values are sealed in `config.json`. */
const SEALED_FIELDS = ['env', 'headers'] as const;

/**
 * A downstream server's own `env` and `headers` values (and an argument or URL that holds a
 * credential's shape, such as `postgresql://user:pw@…`), sealed in `config.json` and open in memory.
 *
 * Those values are where a user puts an API key when the server's README says
 * `"env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "…"}`, so on disk each one is an AES-256-GCM envelope
 * (`secrets/`, the key in `secret.key`), as an auth scope's values are. In memory they stay
 * clear: the child's env and the HTTP headers are built from them on every start, and the API
 * masks the secret-looking ones itself (`services/downstream-view.ts`).
 *
 * A value someone typed into the file by hand (no envelope) is taken as it is and sealed at the
 * next write. An unchanged value keeps its envelope from write to write (a fresh IV per write
 * would rewrite every value of the file on every change for nothing).
 */
export class AtRestSeal {
  /** plain → envelope, for the values of the last state read or written. */
  private envelopes = new Map<string, string>();

  constructor(private readonly box: SecretBox) {}

  /**
   * Opens the envelopes of a parsed (migrated, not yet validated) file, in place. Anything that
   * is not an envelope is left for the schema to judge.
   * @throws GatewayError `internal` naming the server, the field and the key, when an envelope
   *   cannot be opened with this `secret.key` (the file came from another machine, or the key was replaced).
   */
  open(raw: unknown): unknown {
    const servers = (raw as { downstreams?: unknown } | null)?.downstreams;
    if (!Array.isArray(servers)) return raw;
    const known = new Map<string, string>();
    let foundClear = false;
    const openAt = (server: Record<string, unknown>, field: string, key: string, value: unknown): unknown => {
      if (typeof value !== 'string' || !isEncrypted(value)) return value;
      const plain = this.openOne(value, server, field, key);
      known.set(plain, value);
      return plain;
    };
    for (const server of servers as Array<Record<string, unknown>>) {
      if (typeof server !== 'object' || server === null) continue;
      if (Array.isArray(server.args)) server.args = server.args.map((arg, index) => openAt(server, 'args', String(index), arg));
      if (server.url !== undefined) server.url = openAt(server, 'url', 'url', server.url);
      for (const field of SEALED_FIELDS) {
        const values = server?.[field];
        if (typeof values !== 'object' || values === null || Array.isArray(values)) continue;
        const record = values as Record<string, unknown>;
        for (const [key, value] of Object.entries(record)) {
          if (typeof value === 'string' && !isEncrypted(value)) foundClear = true;
          record[key] = openAt(server, field, key, value);
        }
      }
    }
    this.envelopes = known;
    this.foundClear = foundClear;
    return raw;
  }

  /** Whether the last `open` found an env or header value in clear (a hand edit): the file is to be written again, sealed. */
  foundClear = false;

  /** A copy of `state` with every downstream env and header value sealed (the rest shared, not copied). */
  seal(state: ConfigState): ConfigState {
    const used = new Map<string, string>();
    const downstreams = state.downstreams.map((server): DownstreamServer => {
      const secretArgs = server.args.some(hasSecretShape);
      const secretUrl = server.url !== undefined && hasSecretShape(server.url);
      if (Object.keys(server.env).length === 0 && Object.keys(server.headers).length === 0 && !secretArgs && !secretUrl) return server;
      return {
        ...server,
        env: this.sealAll(server.env, used),
        headers: this.sealAll(server.headers, used),
        // Only an argument or URL holding a credential's shape: the others are what a person reads in the file.
        ...(secretArgs ? { args: server.args.map((arg) => (hasSecretShape(arg) ? this.sealOne(arg, used) : arg)) } : {}),
        ...(secretUrl ? { url: this.sealOne(server.url!, used) } : {}),
      };
    });
    this.envelopes = used;
    return { ...state, downstreams };
  }

  private sealAll(values: Record<string, string>, used: Map<string, string>): Record<string, string> {
    const out: Record<string, string> = Object.create(null);
    for (const [key, plain] of Object.entries(values)) out[key] = this.sealOne(plain, used);
    return out;
  }

  private sealOne(plain: string, used: Map<string, string>): string {
    const envelope = used.get(plain) ?? this.envelopes.get(plain) ?? this.box.encrypt(plain);
    used.set(plain, envelope);
    return envelope;
  }

  private openOne(envelope: string, server: Record<string, unknown>, field: string, key: string): string {
    try {
      return this.box.decrypt(envelope);
    } catch (cause) {
      const name = typeof server.name === 'string' ? server.name : String(server.id);
      throw new GatewayError(
        'internal',
        `the ${field} value "${key}" of downstream server "${name}" cannot be decrypted with secret.key beside config.json ` +
          '(was secret.key replaced, or config.json copied from another machine?); write the value again in clear text ' +
          'in config.json (it is encrypted at the next write) or remove it; a value that itself begins with "enc:v1:" ' +
          'can only be set through the API (PUT /api/v1/downstreams/<id>)',
        { cause },
      );
    }
  }
}
