/** One record as a source hands it over. */
export interface SourceRecord {
  /** Offset of this record in its partition (decimal string). */
  offset: string;
  value: string | null;
}

/**
 * What a source feeds: it owns per-partition positions (stored with its state, so a source seeks
 * to `nextOffset` after every assignment rather than trusting committed group offsets).
 * Partitions are keyed `topic:partition`.
 */
export interface PartitionProcessor {
  /** Takes ownership of these partitions (after a group join or at start). */
  assign(keys: readonly string[]): void;
  /** Where to resume reading a partition. */
  nextOffset(key: string): string;
  /** Applies one batch of one partition, durably, before the source reads on. */
  applyBatch(key: string, topic: string, records: readonly SourceRecord[]): Promise<void>;
}

/** A stream of records feeding a processor: Kafka (a consumer group) or the embedded log. */
export interface EventSource {
  start(): Promise<void>;
  /** Lag per `topic:partition` this instance owns (records not yet applied). */
  lag(): Promise<Map<string, number>>;
  stop(): Promise<void>;
}
