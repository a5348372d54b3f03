import { GatewayError } from '../errors.js';
import { CURRENT_SCHEMA_VERSION } from './schemas/index.js';

/**
 * Upgrades a parsed `config.json` to the current schema version, one step per version.
 * A file from a newer gateway is refused rather than silently downgraded.
 */
const steps: Record<number, (data: Record<string, unknown>) => Record<string, unknown>> = {
  // 0 → 1: files written before versioning had no `schema_version` and maybe missing lists.
  0: (data) => ({
    workspaces: [],
    downstreams: [],
    routes: [],
    auth_scopes: [],
    settings: {},
    ...data,
    schema_version: 1,
  }),
  // 1 → 2: downstream env and header values are sealed on disk (at-rest.ts). Nothing to change:
  // clear values are read as they are and sealed at the next write. The number is raised so an
  // older gateway refuses the file rather than handing `enc:v1:…` to a child as its API key.
  1: (data) => ({ ...data, schema_version: 2 }),
};

export function migrate(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new GatewayError('internal', 'config must be a JSON object');
  }
  let data = raw as Record<string, unknown>;
  let version = typeof data.schema_version === 'number' ? data.schema_version : 0;
  if (version > CURRENT_SCHEMA_VERSION) {
    throw new GatewayError('internal', `config schema_version ${version} is newer than this gateway understands (${CURRENT_SCHEMA_VERSION}); upgrade MCPlexer`);
  }
  while (version < CURRENT_SCHEMA_VERSION) {
    const step = steps[version];
    if (!step) throw new GatewayError('internal', `no migration from config schema_version ${version}`);
    data = step(data);
    version = data.schema_version as number;
  }
  return data;
}
