// Process helpers for the benchmark: spawning in own process groups, killing every group we
// started (also on failure and on signals), and reading CPU time and RSS from /proc.
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';

const started = new Set(); // pids of process-group leaders (and stray pids, negated) we own

// The reaper (reaper.mjs) mirrors `started` and kills what is left if this process dies without
// running its exit hooks (SIGKILL, a crash in native code).
let reaper;
function tell(line) {
  if (!reaper) {
    const script = new URL('./reaper.mjs', import.meta.url).pathname;
    reaper = spawn(process.execPath, [script], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    reaper.unref();
    reaper.stdin.unref?.();
    reaper.stdin.on('error', () => undefined);
  }
  reaper.stdin.write(`${line}\n`);
}
const remember = (id) => {
  started.add(id);
  tell(id > 0 ? `+${id}` : `+p${-id}`);
};
const unremember = (id) => {
  if (started.delete(id)) tell(id > 0 ? `-${id}` : `-p${-id}`);
};

let clkTck = 100;
try {
  clkTck = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
} catch {
  clkTck = 100;
}

/** Spawns `command` as the leader of a new process group; remembered for cleanup. */
export function spawnGroup(command, args, options = {}) {
  const child = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], ...options });
  // Kept after the leader exits: its group may live on (grandchildren).
  if (child.pid) remember(child.pid);
  return child;
}

/** Remembers a pid that is not a group leader we spawned (e.g. a gateway's downstream). */
export function track(pid) {
  if (pid) remember(-pid);
}

/** Forgets a pid once it is known to be gone (so a reused pid is never killed later). */
export function forget(pid) {
  unremember(pid);
  unremember(-pid);
}

export function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    /* group already gone */
  }
}

/** SIGTERM a group, wait up to `graceMs` for its leader to exit, then SIGKILL the group. */
export async function stopGroup(pid, graceMs = 3000) {
  if (!pid) return;
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await sleep(25);
  signalGroup(pid, 'SIGKILL');
  unremember(pid);
}

/** Kills everything still remembered: groups we lead and stray pids. Synchronous, for exit paths. */
export function killAll() {
  for (const id of started) {
    try {
      // A group leader is stored as pid (kill the group), a stray pid negated (kill that pid).
      process.kill(-id, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  started.clear();
  reaper?.stdin.end(); // nothing left for it to do: it exits
}

const tempDirs = new Set();
/** A temp dir to delete at exit if nothing deleted it before (e.g. after SIGINT). */
export function removeOnExit(dir) {
  tempDirs.add(dir);
  tell(`+d${dir}`);
}

function removeTempDirs() {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

let hooked = false;
/** Cleans up on exit, uncaught errors and SIGINT/SIGTERM/SIGHUP. */
export function installCleanup() {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    killAll();
    removeTempDirs();
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      process.stderr.write(`[bench] ${signal}: stopping every process started\n`);
      process.exit(130); // the exit hook kills the groups and removes temp dirs
    });
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Rejects after `ms` with a message naming what timed out. */
export function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** utime + stime of one process, in milliseconds. */
export function cpuMs(pid) {
  const { user, sys } = cpuSplit(pid);
  return user + sys;
}

/**
 * CPU (ms) of each of `pids` still running, by pid: a process that exits between two readings
 * (a downstream instance the gateway retires mid-burst) is left out instead of failing the run.
 */
export function cpuOfLiving(pids) {
  const out = new Map();
  for (const pid of pids) {
    try {
      out.set(pid, cpuMs(pid));
    } catch (error) {
      if (error.code !== 'ENOENT' && error.code !== 'ESRCH') throw error;
    }
  }
  return out;
}

/** utime and stime (ms) and context switches of one process. */
export function cpuSplit(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime is field 14, stime field 15.
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const count = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return {
    user: (Number(fields[11]) * 1000) / clkTck,
    sys: (Number(fields[12]) * 1000) / clkTck,
    voluntary: count('voluntary_ctxt_switches'),
    involuntary: count('nonvoluntary_ctxt_switches'),
  };
}

/** Resident set size in KB. */
export function rssKb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+)\s+kB/.exec(status);
  return match ? Number(match[1]) : NaN;
}

/** Direct children of a process (all threads). */
export function childrenOf(pid) {
  const out = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (text) out.push(...text.split(/\s+/).map(Number));
    }
  } catch {
    /* process gone */
  }
  return out;
}

/** Waits until `stream` has printed a line matching `re`; resolves with the match. */
export function waitForOutput(stream, re, ms, what) {
  return withTimeout(
    new Promise((resolve, reject) => {
      let buffer = '';
      const onData = (chunk) => {
        buffer += chunk;
        const match = re.exec(buffer);
        if (match) {
          stream.off('data', onData);
          resolve(match);
        } else if (buffer.length > 1 << 20) buffer = buffer.slice(-4096);
      };
      stream.setEncoding('utf8');
      stream.on('data', onData);
      stream.once('end', () => reject(new Error(`${what} ended before it was ready: ${buffer.slice(-2000)}`)));
    }),
    ms,
    what,
  );
}

function cpuTotals() {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3] + (fields[4] ?? 0);
  return { idle, total: fields.reduce((a, b) => a + b, 0) };
}

/** Share of the whole machine's CPU busy over `ms` (0..1), e.g. other jobs before a run. */
export async function machineBusy(ms = 1000) {
  const a = cpuTotals();
  await sleep(ms);
  const b = cpuTotals();
  return 1 - (b.idle - a.idle) / Math.max(1, b.total - a.total);
}
