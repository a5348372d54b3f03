// `mcplexer connect` bounds what it reads from its client (issue 21, "Bad input": argument size):
// a line longer than the gateway's MCP body limit (4 MiB) is never held whole — the bridge discards
// it as it arrives, answers with the gateway's own payload-too-large error (-32600, with the
// request's id wherever the line holds it, else null) and relays the next lines as before. A
// line of exactly the limit is forwarded, and the gateway takes it. The real CLI (dist/cli.js) is
// spawned as a child and spoken to in raw lines, against a real gateway and a real stdio server.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { addServer, CLI, rawBody } from '../helpers/mcp.js';

const LIMIT = 4 * 1024 * 1024;
const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'lines', version: '1' } },
};

interface Bridge {
  child: ChildProcessWithoutNullStreams;
  answers: Map<unknown, Record<string, any>>;
  /** Writes raw bytes to the bridge's stdin, waiting for the pipe to drain. */
  write(bytes: Buffer | string): Promise<void>;
  answer(id: unknown): Promise<Record<string, any>>;
}

let t: TestGateway;
let cwd: string;
const children: ChildProcessWithoutNullStreams[] = [];
beforeAll(async () => {
  cwd = mkdtempSync(path.join(tmpdir(), 'mcplexer-line-limit-'));
  t = await startTestGateway({ lock: true });
  await addServer(t, rawBody('raw'));
}, 60_000);
afterEach(() => {
  for (const child of children.splice(0)) child.stdin.end();
});
afterAll(async () => {
  await t?.close();
  rmSync(cwd, { recursive: true, force: true });
});

async function bridge(): Promise<Bridge> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !name.startsWith('MCPLEXER_')) env[name] = value;
  const child = spawn(process.execPath, [CLI, 'connect', '--home', t.home], { cwd, env, stdio: 'pipe' });
  children.push(child);
  const answers = new Map<unknown, Record<string, any>>();
  createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => {
    const message = JSON.parse(line) as Record<string, any>;
    if (message.method !== undefined && message.id !== undefined) {
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { roots: [] } })}\n`);
    } else if (message.method === undefined) answers.set(message.id, message);
  });
  const b: Bridge = {
    child,
    answers,
    write: (bytes) => new Promise((resolve) => (child.stdin.write(bytes) ? resolve() : child.stdin.once('drain', () => resolve()))),
    answer: async (id) => {
      await waitFor(() => answers.has(id), 60_000);
      const found = answers.get(id);
      if (!found) throw new Error(`no answer for id ${JSON.stringify(id)}; saw ${JSON.stringify([...answers.keys()])}`);
      answers.delete(id);
      return found;
    },
  };
  await b.write(`${JSON.stringify(INITIALIZE)}\n`);
  await b.answer(1);
  await b.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
  return b;
}

/** A tools/call line of exactly `bytes` bytes (its newline not counted): an echo of a padded message, the id where `idFirst` says. */
function echoLine(id: number, bytes: number, idFirst = true): Buffer {
  const [head, tail] = idFirst
    ? [`{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"raw__echo","arguments":{"message":"`, '"}}}']
    : ['{"jsonrpc":"2.0","method":"tools/call","params":{"name":"raw__echo","arguments":{"message":"', `"}},"id":${id}}`];
  const line = Buffer.alloc(bytes, 'm');
  line.write(head, 0);
  line.write(tail, bytes - tail.length);
  return line;
}

const echo = (id: number, message: string) =>
  `${JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'raw__echo', arguments: { message } } })}\n`;

function expectTooLarge(answer: Record<string, any>, id: unknown): void {
  expect(answer.id).toBe(id);
  expect(answer.error.code).toBe(-32600);
  expect(answer.error.message).toBe(`request body is larger than the ${LIMIT}-byte limit`);
}

/** The bridge's peak resident memory so far (Linux: VmHWM), in bytes. */
function peakRss(pid: number): number {
  const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kib) * 1024;
}

describe('a client line over the MCP body limit through mcplexer connect', () => {
  it.each([
    ['a 5 MiB tools/call whose id comes first: answered by its id', 5 * 1024 * 1024, true, 21],
    ['one byte over the limit, id last (after the arguments): answered by its id', LIMIT + 1, false, 21],
  ])('%s, then the next request is relayed as usual', async (_name, bytes, idFirst, answeredId) => {
    const b = await bridge();
    await b.write(Buffer.concat([echoLine(21, bytes, idFirst), Buffer.from('\n'), Buffer.from(echo(22, 'after'))]));
    expectTooLarge(await b.answer(answeredId), answeredId);
    const after = await b.answer(22);
    expect(after.result.content[0].text).toBe('Echo: after');
    expect(b.answers.size).toBe(0);
  });

  it('never holds the line whole: a 160 MiB line, written in pieces, leaves the bridge’s peak memory far below it', async () => {
    const b = await bridge();
    const before = peakRss(b.child.pid!);
    const piece = Buffer.alloc(1024 * 1024, 'h');
    await b.write('{"jsonrpc":"2.0","id":31,"method":"tools/call","params":{"name":"raw__echo","arguments":{"message":"');
    for (let i = 0; i < 160; i++) await b.write(piece);
    await b.write(`"}}}\n${echo(32, 'still here')}`);
    expectTooLarge(await b.answer(31), 31);
    expect((await b.answer(32)).result.content[0].text).toBe('Echo: still here');
    // Generous: a bridge that assembled the line would hold at least 160 MiB of it.
    expect(peakRss(b.child.pid!) - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('forwards a line of exactly the limit, which the gateway takes and answers', async () => {
    const b = await bridge();
    await b.write(Buffer.concat([echoLine(41, LIMIT), Buffer.from('\n')]));
    const answer = await b.answer(41);
    expect(answer.error).toBeUndefined();
    const text = answer.result.content[0].text as string;
    expect(text.startsWith('Echo: mmm')).toBe(true);
    const wrapping = '{"jsonrpc":"2.0","id":41,"method":"tools/call","params":{"name":"raw__echo","arguments":{"message":""}}}'.length;
    expect(text).toBe(`Echo: ${'m'.repeat(LIMIT - wrapping)}`);
  });
});
