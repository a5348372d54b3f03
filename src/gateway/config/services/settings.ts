import { parseBody } from '../parse.js';
import { settingsUpdateSchema } from '../schemas/index.js';
import { effectiveSettings, type EffectiveSettings } from '../settings.js';
import type { ConfigStore } from '../store.js';

/** GET/PUT /settings: PUT merges over the stored values; the env still wins on read. */
export class SettingsService {
  constructor(
    private readonly store: ConfigStore,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  current(): EffectiveSettings {
    return effectiveSettings(this.store.state.settings, this.env);
  }

  async update(body: unknown): Promise<EffectiveSettings> {
    const patch = parseBody(settingsUpdateSchema, body);
    await this.store.update((draft) => {
      for (const [key, value] of Object.entries(patch)) {
        if (value !== undefined) (draft.settings as Record<string, unknown>)[key] = value;
      }
    });
    return this.current();
  }
}
