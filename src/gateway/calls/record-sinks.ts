import type { Logger } from '../log.js';
import { NO_RECORDS, type CallRecord, type CallRecordSink } from './call-record.js';

/**
 * One sink that hands each record to every given sink in order (the composition root's list:
 * audit, metrics, a test's). A sink that throws is logged and the others still get the record;
 * absent entries are skipped, and a list of one is that sink itself.
 */
export function fanOutRecords(sinks: ReadonlyArray<CallRecordSink | undefined>, logger?: Logger): CallRecordSink {
  const present = sinks.filter((sink): sink is CallRecordSink => sink !== undefined);
  if (present.length === 0) return NO_RECORDS;
  if (present.length === 1) return present[0]!;
  return {
    record(record: CallRecord): void {
      for (const sink of present) {
        try {
          sink.record(record);
        } catch (error) {
          // A sink must not throw; if one does, the next still gets the record and the call still answers.
          logger?.error('call record sink failed', {
            method: record.method,
            name: record.name,
            reason: error instanceof Error ? error.message : String(error),
          });
        }
      }
    },
  };
}
