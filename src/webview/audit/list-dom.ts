/// <reference lib="dom" />
/**
 * The record list's DOM, kept by id: a live record adds one row on top and leaves the others as
 * they are, so a selection in an open detail, the focus and the scroll position survive the stream.
 * A row is rebuilt only when its selection changes, or (the selected one) when new names arrived.
 */
import type { AuditRecord } from '../../shared/schemas/audit.js';
import type { EntityNames } from '../../shared/webviews/entity-names.js';
import { renderRecord, type RecordHandlers } from './render.js';

export class RecordListDom {
  readonly element: HTMLElement;
  private rows = new Map<string, { node: HTMLElement; selected: boolean; names?: EntityNames }>();

  constructor(private readonly on: RecordHandlers) {
    this.element = document.createElement('ul');
    this.element.className = 'records';
    this.element.setAttribute('aria-label', 'Audit records');
  }

  /** Shows `records` in order, reusing the rows already built. */
  update(records: readonly AuditRecord[], selected: string | undefined, names?: EntityNames): void {
    const next = new Map<string, { node: HTMLElement; selected: boolean; names?: EntityNames }>();
    for (const record of records) {
      const isSelected = record.id === selected;
      const held = this.rows.get(record.id);
      const fresh = held && held.selected === isSelected && (!isSelected || held.names === names);
      next.set(record.id, fresh ? held : { node: renderRecord(record, isSelected, this.on, names), selected: isSelected, names });
    }
    // Walk the wanted order: a node already in place is passed over, others are moved or inserted.
    let cursor = this.element.firstChild;
    for (const { node } of next.values()) {
      if (node === cursor) cursor = cursor.nextSibling;
      else this.element.insertBefore(node, cursor);
    }
    while (cursor) {
      const after: ChildNode | null = cursor.nextSibling;
      cursor.remove();
      cursor = after;
    }
    this.rows = next;
  }
}
