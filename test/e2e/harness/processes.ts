import { readdirSync, readFileSync } from 'node:fs';

/** One live process, as /proc shows it. */
export interface ProcessInfo {
  pid: number;
  /** Process group id. */
  pgid: number;
  /** The command line, arguments joined by spaces. */
  cmdline: string;
}

function readProcess(pid: number): { info: ProcessInfo; environ: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state ppid pgrp … (man 5 proc).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') return undefined; // a zombie has exited; only its parent's wait is pending
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
    return { info: { pid, pgid: Number(fields[2]), cmdline }, environ };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOENT/ESRCH: the process ended between listing /proc and reading it, so it is not alive.
    // EACCES/EPERM: another user's or the sandbox's process, which no run of ours started.
    if (code === 'ENOENT' || code === 'ESRCH' || code === 'EACCES' || code === 'EPERM') return undefined;
    throw error;
  }
}

function liveProcesses(): { info: ProcessInfo; environ: string }[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .flatMap((entry) => readProcess(Number(entry)) ?? []);
}

/**
 * Every live process that carries `name=value` in its environment. The harness marks each
 * code-server run this way, so this finds everything the run started, even processes that left its
 * process group (a pty's shell calls setsid; a daemon may detach). Zombies do not count: they have
 * exited and wait only for their parent (or init) to reap them. Linux only (reads /proc).
 */
export function processesWithEnv(name: string, value: string): ProcessInfo[] {
  const needle = `${name}=${value}`;
  return liveProcesses()
    .filter((p) => p.environ.split('\0').includes(needle))
    .map((p) => p.info);
}

/** Every live (non-zombie) process of process group `pgid`. Linux only (reads /proc). */
export function processesInGroup(pgid: number): ProcessInfo[] {
  return liveProcesses()
    .map((p) => p.info)
    .filter((p) => p.pgid === pgid);
}

/** Sends `signal` to each pid, ignoring the ones already gone. */
export function signalAll(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls `check` every `intervalMs` until it returns a value other than undefined, or fails after `timeoutMs`.
 * @throws Error with `what` and the last check error when time runs out.
 */
export async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs: number, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}
