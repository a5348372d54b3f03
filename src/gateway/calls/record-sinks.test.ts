import { describe, expect, it } from 'vitest';
import { createLogger } from '../log.js';
import { NO_RECORDS, type CallRecord, type CallRecordSink } from './call-record.js';
import { fanOutRecords } from './record-sinks.js';

const record = { method: 'tools/call', name: 'ev__echo' } as CallRecord;
const keeping = () => {
  const seen: CallRecord[] = [];
  return { seen, sink: { record: (r: CallRecord) => void seen.push(r) } satisfies CallRecordSink };
};
const throwing: CallRecordSink = {
  record() {
    throw new Error('sink broke');
  },
};

describe('fanOutRecords', () => {
  it('hands each record to every sink, in order, skipping absent ones', () => {
    const order: string[] = [];
    const a = { record: () => void order.push('a') };
    const b = { record: () => void order.push('b') };
    fanOutRecords([a, undefined, b]).record(record);
    expect(order).toEqual(['a', 'b']);
  });

  it.each([
    ['first', [throwing, 'keep']],
    ['middle', ['keep', throwing, 'keep']],
  ] as const)('a sink that throws (%s) is logged and the others still get the record', (_label, layout) => {
    const logs: Array<Record<string, unknown>> = [];
    const kept = layout.map((entry) => (entry === 'keep' ? keeping() : undefined));
    const sinks = layout.map((entry, i) => (entry === 'keep' ? kept[i]!.sink : entry));
    const fan = fanOutRecords(
      sinks,
      createLogger('debug', (line) => void logs.push(JSON.parse(line))),
    );
    expect(() => fan.record(record)).not.toThrow();
    for (const k of kept) if (k) expect(k.seen).toEqual([record]);
    expect(logs).toEqual([expect.objectContaining({ level: 'error', msg: 'call record sink failed', name: 'ev__echo', reason: 'sink broke' })]);
  });

  it('none is NO_RECORDS; one is that sink itself', () => {
    expect(fanOutRecords([undefined])).toBe(NO_RECORDS);
    const { sink } = keeping();
    expect(fanOutRecords([undefined, sink])).toBe(sink);
  });
});
