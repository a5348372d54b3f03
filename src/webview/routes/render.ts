/** The Routes view's sections (DOM), laid out from the pure models; actions are callbacks. */
import { h, icon } from '../shared/dom.js';
import { button } from '../shared/form.js';
import type { DryRunModel, FolderSection, Outcome, RuleRow } from './model.js';

const POLICY_ICON: Record<string, string> = { allow: 'check', deny: 'circle-slash', approve: 'shield' };
const OUTCOME_TEXT: Record<Outcome, string> = { allow: 'allowed', approve: 'needs approval', blocked: 'refused' };

export interface RuleUi {
  deleting?: boolean;
  message?: string;
}

export interface RuleHandlers {
  edit(row: RuleRow): void;
  remove(row: RuleRow, confirmed: boolean): void;
  cancel(row: RuleRow): void;
}

function ruleItem(row: RuleRow, ui: RuleUi | undefined, on: RuleHandlers): HTMLElement {
  return h(
    'li',
    { class: `rule policy-${row.policy}`, 'data-rule': row.id },
    h(
      'div',
      { class: 'rule-line' },
      h('span', { class: 'order', title: 'evaluation order' }, String(row.order)),
      h('span', { class: `policy tone-${row.policy}`, title: row.policy }, icon(POLICY_ICON[row.policy] ?? 'question'), row.policy),
      h('code', {}, row.pattern),
      row.readOnly
        ? null
        : h(
            'span',
            { class: 'rule-actions' },
            icon('edit', { label: 'Edit rule', onClick: () => on.edit(row) }),
            icon('trash', { label: 'Delete rule', onClick: () => on.remove(row, false) }),
          ),
    ),
    h(
      'div',
      { class: 'rule-meta muted' },
      [
        row.label,
        `path ${row.path_glob}`,
        `priority ${row.priority}`,
        row.approval_mode !== 'none' ? `approval ${row.approval_mode}` : '',
        row.server ? `server ${row.server}` : '',
        row.readOnly ? (row.rule.source === 'yaml' ? 'from YAML' : 'built-in') : '',
      ]
        .filter(Boolean)
        .join(' · '),
    ),
    ui?.message ? h('p', { class: 'message tone-error', role: 'alert' }, ui.message) : null,
    ui?.deleting
      ? h(
          'div',
          { class: 'confirm' },
          h('span', {}, `Delete the rule ${row.title}?`),
          button('Delete', () => on.remove(row, true)),
          button('Cancel', () => on.cancel(row), { secondary: true }),
        )
      : null,
  );
}

export function renderFolder(section: FolderSection, ui: Map<string, RuleUi>, on: RuleHandlers): HTMLElement {
  return h(
    'section',
    { class: 'folder', 'data-folder': section.folder },
    h('h2', { title: section.folder }, icon('root-folder'), ' ', section.label),
    section.error
      ? h('p', { class: 'banner tone-muted' }, section.error)
      : [
          h(
            'ol',
            { class: 'chain' },
            section.links.map((link) =>
              h(
                'li',
                { class: 'link' },
                h(
                  'div',
                  { class: 'link-head' },
                  h('strong', {}, link.workspaceName),
                  h('span', { class: 'muted' }, ` ${link.rootPath ?? ''}${link.subpath ? ` · subpath ${link.subpath}` : ''}`),
                ),
                link.rules.length === 0
                  ? h('p', { class: 'muted empty' }, 'No rules')
                  : h(
                      'ul',
                      { class: 'rules' },
                      link.rules.map((row) => ruleItem(row, ui.get(row.id), on)),
                    ),
              ),
            ),
          ),
          section.fallback ? h('p', { class: 'muted fallback' }, section.fallback) : null,
        ],
  );
}

export function renderDryRun(model: DryRunModel, toolName: string): HTMLElement {
  return h(
    'div',
    { class: 'dry-run-result', 'aria-live': 'polite' },
    model.strictest
      ? h(
          'p',
          { class: `verdict tone-${model.strictest.outcome}` },
          `${toolName}: ${OUTCOME_TEXT[model.strictest.outcome]} — the strictest folder decides (${model.strictest.label}).`,
        )
      : null,
    model.rows.map((row) =>
      h(
        'div',
        { class: 'decision' },
        h('h3', { title: row.folder }, row.label),
        row.error ? h('p', { class: 'tone-error' }, row.error) : null,
        row.answer
          ? [
              h(
                'p',
                { class: `verdict tone-${row.outcome}` },
                icon(POLICY_ICON[row.answer.policy] ?? 'question'),
                ` ${row.answer.policy}${row.answer.approval_required ? ' (approval required)' : ''}${row.answer.error_code ? ` · ${row.answer.error_code}` : ''}`,
              ),
              h('p', { class: 'reason' }, row.answer.reason),
              h(
                'ol',
                { class: 'candidates' },
                (row.candidates ?? []).map((c) =>
                  h('li', { class: c.state }, h('code', {}, c.name), h('span', { class: 'muted' }, ` in ${c.workspace}: ${c.note}`)),
                ),
              ),
            ]
          : null,
      ),
    ),
  );
}
