/**
 * The test sink of the call pipeline: keeps every settled call record it is handed, in order, so
 * a test can assert exactly one record per call and what it says (in audit's vocabulary).
 */
import { callRecordFields, type CallRecord, type CallRecordFields, type CallRecordSink } from '../../src/gateway/calls/index.js';

export class RecordingSink implements CallRecordSink {
  readonly records: CallRecord[] = [];

  record(record: CallRecord): void {
    this.records.push(record);
  }

  /** The records handed over since `from` (an earlier `records.length`), flattened. */
  since(from: number): CallRecordFields[] {
    return this.records.slice(from).map(callRecordFields);
  }
}
