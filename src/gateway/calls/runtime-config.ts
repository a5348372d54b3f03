import { EventEmitter } from 'node:events';
import { realpathSync } from 'node:fs';
import { effectiveSettings, type ConfigState, type ConfigStore, type Settings } from '../config/index.js';
import { compileRouter, type Router } from '../routing/index.js';
import { Catalog } from './catalog.js';

/** Everything a call needs from the config, compiled once per change: no config reads per call. */
export interface RuntimeConfig {
  readonly version: number;
  readonly state: ConfigState;
  readonly settings: Settings;
  readonly router: Router;
  readonly catalog: Catalog;
}

/**
 * Holds the current RuntimeConfig and rebuilds it on every store change; emits
 * `'change'(next, previous)`. `version` counts rebuilds from 1, so a consumer can cache by it.
 */
export class RuntimeConfigHolder extends EventEmitter {
  private compiled: RuntimeConfig;

  constructor(
    private readonly store: ConfigStore,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    super();
    this.compiled = this.compile(store.state, 1);
    store.on('change', (state) => this.rebuild(state));
  }

  get current(): RuntimeConfig {
    return this.compiled;
  }

  /** Settings can change through the env only at start, and through the store otherwise. */
  rebuild(state: ConfigState = this.store.state): void {
    const previous = this.compiled;
    this.compiled = this.compile(state, previous.version + 1);
    this.emit('change', this.compiled, previous);
  }

  private compile(state: ConfigState, version: number): RuntimeConfig {
    const { settings } = effectiveSettings(state.settings, this.env);
    const catalog = new Catalog(state.downstreams, {
      slimTools: settings.slim_tools,
      descriptionOverrides: settings.tool_description_overrides,
    });
    const router = compileRouter({
      workspaces: state.workspaces,
      routes: state.routes,
      downstreams: state.downstreams,
      globalDefaultPolicy: settings.default_policy,
      toolAliases: catalog.aliases,
      realPath,
    });
    return { version, state, settings, router, catalog };
  }
}

/**
 * The router's file system port: a directory's real path, symbolic links resolved, or undefined
 * when it is not a path here (a remote client's folder, a root not created yet, no permission).
 */
function realPath(dir: string): string | undefined {
  try {
    return realpathSync.native(dir);
  } catch {
    return undefined;
  }
}
