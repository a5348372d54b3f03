import { specTypeSchemas } from '@modelcontextprotocol/server';

type Item = Record<string, unknown>;
const isObject = (value: unknown): value is Item => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A tool as it can be listed, or why it cannot. */
export type CheckedTool = { ok: true; tool: Item; repaired?: string } | { ok: false; problem: string };

/**
 * Makes a downstream tool valid for the strictest client, once per config (never per tools/list):
 * an `inputSchema` without a top-level `type` gets `type: "object"` (a missing `inputSchema`
 * becomes `{"type": "object"}`), as MCP requires and the SDK clients check (their `listTools()`
 * throws on one bad tool, so the client would see no tools at all); `["object", "null"]` becomes
 * `"object"` (arguments are always an object). An `outputSchema` without `type` gets `"object"`
 * (structured content is always an object); one with another type is left out (the client then
 * does not validate the result). Then the whole tool is checked against the SDK's own `Tool`
 * schema. A tool that still fails (an input type other than object, `required` not a list, …)
 * cannot be listed: `problem` says why, for the server's health. So is a tool that can only be
 * called as a task (`execution.taskSupport: "required"`).
 *
 * @param tool the tool as the downstream listed it (not modified)
 */
export function checkTool(tool: Item): CheckedTool {
  // MCP 2025-11-25 "Tasks": such a tool can only be called as a task, which the gateway does not
  // relay; listed, it is a tool no client can call (a trial: the SDK client refused it itself).
  if (isObject(tool.execution) && tool.execution.taskSupport === 'required') {
    return { ok: false, problem: 'it can only be called as a task (execution.taskSupport "required"), and MCPlexer does not relay tasks yet' };
  }
  const notes: string[] = [];
  const input = repairObjectSchema(tool.inputSchema);
  if (!input.ok) return { ok: false, problem: `its inputSchema ${input.problem}; MCP requires "type": "object" at the top` };
  if (input.note) notes.push(`inputSchema: ${input.note}`);
  let repaired: Item = input.schema === tool.inputSchema ? tool : { ...tool, inputSchema: input.schema };
  if (tool.outputSchema !== undefined) {
    const output = repairObjectSchema(tool.outputSchema);
    if (!output.ok) {
      const { outputSchema: _dropped, ...rest } = repaired;
      repaired = rest;
      notes.push(`outputSchema left out: it ${output.problem}`);
    } else if (output.schema !== tool.outputSchema) {
      repaired = { ...repaired, outputSchema: output.schema };
      notes.push(`outputSchema: ${output.note}`);
    }
  }
  const checked = specTypeSchemas.Tool['~standard'].validate(repaired);
  if ('then' in checked) throw new TypeError('the SDK Tool schema validates asynchronously');
  if (checked.issues) {
    return { ok: false, problem: `it is not a valid MCP tool: ${describeIssue(checked.issues[0]!)}` };
  }
  return notes.length > 0 ? { ok: true, tool: repaired, repaired: notes.join('; ') } : { ok: true, tool: repaired };
}

type Repair = { ok: true; schema: Item; note?: string } | { ok: false; problem: string };

function repairObjectSchema(schema: unknown): Repair {
  if (schema === undefined) return { ok: true, schema: { type: 'object' }, note: 'was missing, listed as {"type": "object"}' };
  if (!isObject(schema)) return { ok: false, problem: `is ${JSON.stringify(schema)}, not a JSON object` };
  const type = schema.type;
  if (type === 'object') return { ok: true, schema };
  if (type === undefined) return { ok: true, schema: { type: 'object', ...schema }, note: 'had no "type", listed with "type": "object"' };
  if (Array.isArray(type) && type.includes('object'))
    return { ok: true, schema: { ...schema, type: 'object' }, note: `"type" ${JSON.stringify(type)} listed as "object"` };
  return { ok: false, problem: `has "type": ${JSON.stringify(type)}` };
}

/**
 * Why a downstream prompt cannot be listed (checked against the SDK's own `Prompt` schema), or
 * undefined when it can.
 */
export function checkPrompt(prompt: Item): string | undefined {
  const checked = specTypeSchemas.Prompt['~standard'].validate(prompt);
  if ('then' in checked) throw new TypeError('the SDK Prompt schema validates asynchronously');
  return checked.issues ? `it is not a valid MCP prompt: ${describeIssue(checked.issues[0]!)}` : undefined;
}

function describeIssue(issue: { message: string; path?: ReadonlyArray<PropertyKey | { key: PropertyKey }> }): string {
  const where = (issue.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)).join('.');
  return `${where ? `${where}: ` : ''}${issue.message}`;
}
