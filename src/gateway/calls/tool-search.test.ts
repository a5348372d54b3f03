import { describe, expect, it } from 'vitest';
import type { DownstreamServer } from '../config/index.js';
import type { ToolEntry } from './catalog.js';
import { formatSearchHit, globToRegExp, scoreTool, searchTools } from './tool-search.js';

const server = { id: 's', namespace: 'gh' } as DownstreamServer;
const entry = (name: string, description: string, inputSchema?: object): ToolEntry => ({
  fullName: `gh__${name}`,
  listedName: `gh__${name}`,
  downstreamName: name,
  listed: { name: `gh__${name}` },
  coercible: [],
  server,
  readOnly: false,
  tool: { name, description, inputSchema },
});

describe('tool search', () => {
  it('scores exact name, name contains, description contains and tokens as the original does', () => {
    expect(scoreTool(entry('list_issues', 'List issues'), 'gh__list_issues')).toBe(150);
    expect(scoreTool(entry('list_issues', 'List issues'), 'list_issues')).toBe(50);
    expect(scoreTool(entry('list_issues', 'List issues'), 'list issues')).toBe(50 + 20 + 10 + 5 + 10 + 5);
    expect(scoreTool(entry('create_pr', 'Opens a pull request'), 'pull')).toBe(20);
    expect(scoreTool(entry('create_pr', 'Opens a pull request'), 'zebra')).toBe(0);
  });

  it('ranks by score, then by catalog order', () => {
    const hits = searchTools([entry('b_issue', 'x'), entry('issue', 'x'), entry('a_issue', 'x'), entry('other', 'mentions issue')], 'issue');
    expect(hits.map((h) => h.downstreamName)).toEqual(['b_issue', 'issue', 'a_issue', 'other']);
  });

  it('formats a hit with its parameters', () => {
    const text = formatSearchHit(entry('get', 'Gets it', { type: 'object', properties: { id: { type: 'string' }, n: { type: 'number' } }, required: ['id'] }));
    expect(text).toBe('## gh__get\nGets it\nParameters: id: string, n?: number');
  });

  it('matches load globs with * anywhere', () => {
    expect(globToRegExp('gh__*issue*').test('gh__list_issues')).toBe(true);
    expect(globToRegExp('gh__get').test('gh__get_x')).toBe(false);
  });
});
