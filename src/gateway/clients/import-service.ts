/**
 * Importing a client's own MCP servers (`GET /mcp-install/{client}/servers`, `POST …/import`):
 * the installer reads the file (its readers and format adapters), `import-entries.ts` reads each
 * entry as a server, `import-plan.ts` decides, and every `new` entry is created through the
 * downstream service, the same validation, sealing at rest and discovery as `POST /downstreams`.
 * That service is a port handed in by the HTTP layer: `clients` sits below `config`.
 */
import { GatewayError } from '../errors.js';
import type { ImportableServersAnswer, ImportRequest, ImportResult } from '../../shared/schemas/mcp-import.js';
import { readClientEntry } from './import-entries.js';
import { planImport, type ExistingServer, type PlanContext, type PlannedEntry } from './import-plan.js';
import type { ClientInstaller } from './service.js';

/** The downstream servers, as the import needs them. */
export interface DownstreamPort {
  /** Every configured server with its stored command, args and url. */
  existing(): ExistingServer[];
  /** `POST /downstreams`'s create. @throws GatewayError `validation_failed`, `conflict` */
  create(body: Record<string, unknown>): Promise<{ id: string; namespace: string }>;
  /** An arg or URL as the API shows it (secret spans masked). */
  show: PlanContext['show'];
  /** This gateway's port and token (an entry reaching them is MCPlexer's own). */
  own(): PlanContext['own'];
}

/**
 * The most servers one import adds. Each is a process or a connection the gateway starts and
 * discovers; a trial's file of 1,000 entries took 57 s to import and then stalled the gateway for
 * ~30 s on the next tools/list. Past it, the request names which ones (`servers`, `--only`).
 */
export const MAX_IMPORT = 100;

/** Errors of one entry's create that skip that entry; any other fails the request. */
const SKIPPABLE = new Set(['validation_failed', 'conflict']);

export class ClientImporter {
  /** Imports run one at a time: two at once would both see an entry as `new` and add it twice. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly installer: ClientInstaller,
    private readonly downstreams: DownstreamPort,
  ) {}

  /**
   * The client's entries and what an import would do with each (`ImportableServersAnswer`); env
   * and header values are left out. Writes nothing.
   * @throws GatewayError `not_found` (unknown client), `conflict` (not detected; the file cannot be read), `unprocessable` (it cannot be parsed)
   */
  servers(clientId: string): ImportableServersAnswer {
    const { spec, file, plan } = this.plan(clientId);
    return { client: spec.id, config_path: file, servers: plan.map((p) => p.answer) };
  }

  /**
   * Adds the named entries (default: every `new` one), in the file's order. A named entry that is
   * not `new`, not in the file, or that the create refuses is `skipped` with the reason.
   * @throws GatewayError as `servers`
   */
  import(clientId: string, request: ImportRequest): Promise<ImportResult> {
    const run = this.queue.then(() => this.run(clientId, request));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(clientId: string, request: ImportRequest): Promise<ImportResult> {
    const { file, plan } = this.plan(clientId);
    const wanted = request.servers === undefined ? undefined : new Set(request.servers);
    const adding = plan.filter((p) => p.body !== undefined && (wanted ? wanted.has(p.answer.name) : true)).length;
    if (adding > MAX_IMPORT)
      throw new GatewayError('validation_failed', `this import would add ${adding} servers, more than the ${MAX_IMPORT} one import adds`, {
        details: [
          {
            path: 'servers',
            message: `name at most ${MAX_IMPORT} of the entries in ${file} to import (the CLI's --only), and import the rest in another request`,
          },
        ],
      });
    const result: ImportResult = { imported: [], skipped: [] };
    for (const name of wanted ?? []) {
      if (!plan.some((p) => p.answer.name === name)) result.skipped.push({ name, reason: `there is no entry "${name}" in ${file}` });
    }
    for (const { answer, body } of plan) {
      if (wanted ? !wanted.has(answer.name) : answer.status !== 'new') continue;
      if (!body) {
        result.skipped.push({ name: answer.name, reason: answer.reason ?? `its status is ${answer.status}` });
        continue;
      }
      try {
        const created = await this.downstreams.create(body);
        result.imported.push({ name: answer.name, server_id: created.id, namespace: created.namespace });
      } catch (error) {
        if (!(error instanceof GatewayError) || !SKIPPABLE.has(error.code)) throw error;
        result.skipped.push({ name: answer.name, reason: `MCPlexer refused it: ${error.message}` });
      }
    }
    return result;
  }

  private plan(clientId: string): { spec: { id: string; name: string }; file: string; plan: PlannedEntry[] } {
    const { spec, file, entries } = this.installer.entriesOf(clientId);
    const read = Object.entries(entries).map(([name, raw]) => readClientEntry(spec.name, name, raw));
    return { spec, file, plan: planImport(read, this.downstreams.existing(), { file, show: this.downstreams.show, own: this.downstreams.own() }) };
  }
}
