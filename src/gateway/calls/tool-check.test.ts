import { describe, expect, it } from 'vitest';
import { checkPrompt, checkTool } from './tool-check.js';

describe('checkTool: what is listed is valid for the strictest client', () => {
  it('adds type "object" where the input schema has none, or has no schema at all', () => {
    const noType = { name: 'a', inputSchema: { properties: { q: { type: 'string' } }, required: ['q'] } };
    expect(checkTool(noType)).toMatchObject({ ok: true, tool: { name: 'a', inputSchema: { type: 'object', properties: { q: { type: 'string' } } } } });
    expect(noType.inputSchema).not.toHaveProperty('type');
    expect(checkTool({ name: 'b' })).toMatchObject({ ok: true, tool: { inputSchema: { type: 'object' } } });
    expect(checkTool({ name: 'c', inputSchema: { type: ['object', 'null'] } })).toMatchObject({ ok: true, tool: { inputSchema: { type: 'object' } } });
  });

  it('leaves a valid tool as it is (the same object)', () => {
    const tool = { name: 'ok', inputSchema: { type: 'object' }, outputSchema: { type: 'object' } };
    expect(checkTool(tool)).toEqual({ ok: true, tool });
  });

  it('refuses what cannot be repaired, saying why', () => {
    expect(checkTool({ name: 'd', inputSchema: { type: 'string' } })).toEqual({
      ok: false,
      problem: 'its inputSchema has "type": "string"; MCP requires "type": "object" at the top',
    });
    expect(checkTool({ name: 'e', inputSchema: null })).toMatchObject({ ok: false, problem: expect.stringContaining('not a JSON object') });
    expect(checkTool({ name: 'f', inputSchema: { type: 'object', required: 'q' } })).toMatchObject({
      ok: false,
      problem: expect.stringContaining('inputSchema.required'),
    });
  });

  it('refuses a tool that can only be called as a task, and keeps one where a task is optional', () => {
    const research = { name: 'research', inputSchema: { type: 'object' }, execution: { taskSupport: 'required' } };
    expect(checkTool(research)).toEqual({ ok: false, problem: expect.stringContaining('can only be called as a task') });
    const optional = { ...research, execution: { taskSupport: 'optional' } };
    expect(checkTool(optional)).toEqual({ ok: true, tool: optional });
  });

  it('repairs an output schema without type and leaves out one of another type', () => {
    expect(checkTool({ name: 'g', inputSchema: { type: 'object' }, outputSchema: { properties: {} } })).toMatchObject({
      ok: true,
      tool: { outputSchema: { type: 'object', properties: {} } },
    });
    const dropped = checkTool({ name: 'h', inputSchema: { type: 'object' }, outputSchema: { type: 'array' } });
    expect(dropped.ok && dropped.tool).not.toHaveProperty('outputSchema');
  });

  it('checks prompts against the SDK schema', () => {
    expect(checkPrompt({ name: 'p', arguments: [{ name: 'x' }] })).toBeUndefined();
    expect(checkPrompt({ name: 'p', arguments: 'x' })).toContain('arguments');
  });
});
