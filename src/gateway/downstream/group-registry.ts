/**
 * The process groups a gateway started, recorded in its data dir so that the next gateway can reap
 * what a gateway killed with SIGKILL left behind (signals that cannot be caught run no exit hook,
 * and Node cannot ask the kernel for a parent-death signal). One small JSON file per group,
 * `<dataDir>/children/<pgid>.json`, written when the group starts and removed when it is gone.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log.js';
import { killGroup } from './process-group.js';
import { bootId, groupMembers, procStat, startTimeOf } from './proc-identity.js';

/** Where the pool records the process groups it starts. Optional: a pool without one records nothing. */
export interface GroupRegistry {
  /** Records a group whose leader (pid = pgid) was just spawned. */
  add(pgid: number, command: string): void;
  /** Forgets a group once it is gone. */
  remove(pgid: number): void;
}

/** One record: the group, its leader's identity, and the gateway that owns it. */
export interface GroupRecord {
  pgid: number;
  /** The leader's start time (see `proc-identity.ts`), so a reused pid is never taken for it. */
  start_time: string;
  boot_id: string;
  gateway_pid: number;
  gateway_start_time: string;
  command: string;
}

export const CHILDREN_DIR = 'children';

/** A `GroupRegistry` in `<dataDir>/children/`. Write failures are logged, never fatal to a start. */
export class DataDirGroupRegistry implements GroupRegistry {
  private readonly dir: string;
  private readonly gateway: { pid: number; startTime: string; bootId: string };

  constructor(
    dataDir: string,
    private readonly logger: Logger,
  ) {
    this.dir = path.join(dataDir, CHILDREN_DIR);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.gateway = { pid: process.pid, startTime: startTimeOf(process.pid) ?? '', bootId: bootId() };
  }

  add(pgid: number, command: string): void {
    const startTime = startTimeOf(pgid);
    if (startTime === undefined) return; // already gone: nothing to reap later
    const record: GroupRecord = {
      pgid,
      start_time: startTime,
      boot_id: this.gateway.bootId,
      gateway_pid: this.gateway.pid,
      gateway_start_time: this.gateway.startTime,
      command,
    };
    try {
      writeFileSync(this.file(pgid), JSON.stringify(record), { mode: 0o600 });
    } catch (error) {
      this.logger.warn('could not record a downstream process group; it will not be reaped if the gateway is killed', { pgid, error: String(error) });
    }
  }

  remove(pgid: number): void {
    rmSync(this.file(pgid), { force: true });
  }

  /**
   * Reaps the groups that dead gateways left: a record whose gateway is still alive (same pid and
   * start time) is left alone; otherwise its group is stopped (SIGTERM, SIGKILL after `graceMs`)
   * when it still matches — the leader alive with the recorded start time, or (Linux, leader gone)
   * members of the same session that started after the leader — and the record is removed.
   * Resolves with the pgids it stopped.
   */
  async reapOrphans(graceMs: number): Promise<number[]> {
    const reaped: number[] = [];
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith('.json')) continue;
      const file = path.join(this.dir, name);
      const record = readRecord(file);
      if (record && this.ownedByLiveGateway(record)) continue;
      if (record && this.stillOurs(record)) {
        this.logger.warn('stopping a downstream process group left by a gateway that was killed', {
          pgid: record.pgid,
          gateway_pid: record.gateway_pid,
          command: record.command,
        });
        await killGroup(record.pgid, graceMs);
        reaped.push(record.pgid);
      }
      rmSync(file, { force: true });
    }
    return reaped;
  }

  private ownedByLiveGateway(record: GroupRecord): boolean {
    if (record.gateway_pid === this.gateway.pid) return record.gateway_start_time === this.gateway.startTime;
    return record.boot_id === this.gateway.bootId && startTimeOf(record.gateway_pid) === record.gateway_start_time;
  }

  private stillOurs(record: GroupRecord): boolean {
    if (record.boot_id !== this.gateway.bootId) return false; // rebooted: every process of that boot is gone
    const leader = procStat(record.pgid);
    if (leader) return leader.startTime === record.start_time && leader.pgid === record.pgid && leader.state !== 'Z';
    // The leader exited but its descendants may live on in its group. A pid in use as a group id is
    // not handed out again, so members of this session that started after the leader are its own.
    const since = Number(record.start_time);
    return groupMembers(record.pgid).some(({ stat }) => stat.sid === record.pgid && Number(stat.startTime) >= since);
  }

  private file(pgid: number): string {
    return path.join(this.dir, `${pgid}.json`);
  }
}

function readRecord(file: string): GroupRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined; // unreadable or half-written: nothing in it can be verified, so it is dropped
  }
  const record = value as Partial<GroupRecord>;
  const valid =
    typeof record === 'object' &&
    record !== null &&
    Number.isInteger(record.pgid) &&
    record.pgid! > 1 &&
    typeof record.start_time === 'string' &&
    record.start_time !== '' &&
    typeof record.boot_id === 'string' &&
    Number.isInteger(record.gateway_pid) &&
    typeof record.gateway_start_time === 'string' &&
    typeof record.command === 'string';
  return valid ? (record as GroupRecord) : undefined;
}
