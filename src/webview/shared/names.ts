/**
 * Which referenced ids a view must ask the host to name (pure, so it is tested without a DOM).
 * The table (`approvals/names`, `audit/names`) is read at load; a record naming an id the table does
 * not hold is either newer than the table (a server added since) or deleted. One new read after the
 * id was first seen tells them apart: if that read lacks it too, it is shown as deleted and never
 * asked about again (until a config change resets `lookedUp`).
 */
import type { EntityKind, EntityNames } from '../../shared/webviews/entity-names.js';

export type EntityRef = [kind: EntityKind, id: string | null | undefined];

/**
 * The refs (`kind:id`) to look up: not in `names` and not already looked up. Adds them to `lookedUp`;
 * an empty answer means no read is due.
 */
export function refsToLookUp(names: EntityNames | undefined, refs: readonly EntityRef[], lookedUp: Set<string>): string[] {
  const due: string[] = [];
  for (const [kind, id] of refs) {
    if (!id) continue;
    const key = `${kind}:${id}`;
    if (names?.[kind][id] !== undefined || lookedUp.has(key)) continue;
    lookedUp.add(key);
    due.push(key);
  }
  return due;
}

/**
 * A view's names table: read through `read` (the view's `…/names` request), one read at a time
 * (a need meanwhile reads once more after it), re-read for ids it lacks (`need`) and after a config
 * change (`stale`). `changed` runs after each read, `failed` with a read's error.
 */
export class NameBook {
  names: EntityNames | undefined;
  private readonly lookedUp = new Set<string>();
  private reading: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly read: () => Promise<EntityNames>,
    private readonly changed: () => void,
    private readonly failed: (error: unknown) => void,
  ) {}

  /** Records that name these entities are shown: read the table again if it lacks one not asked about yet. */
  need(refs: readonly EntityRef[]): void {
    if (refsToLookUp(this.names, refs, this.lookedUp).length > 0) void this.load();
  }

  /** A rename or a deletion happened: what was read is stale (read again when a table is held). */
  stale(): void {
    this.lookedUp.clear();
    if (this.names) void this.load();
  }

  private async load(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = (async () => {
      do {
        this.again = false;
        try {
          this.names = await this.read();
        } catch (error) {
          // Without names the ids show as they are; the next need asks again.
          this.lookedUp.clear();
          this.failed(error);
        }
      } while (this.again);
    })();
    await this.reading;
    this.reading = undefined;
    this.changed();
  }
}
