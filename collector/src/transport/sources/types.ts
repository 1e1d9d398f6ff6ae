/** One record as a source hands it over. */
export interface SourceRecord {
  /** Offset of this record in its partition (decimal string). */
  offset: string;
  /**
   * The value: its UTF-8 bytes as fetched (Kafka), or text (the embedded log). The bytes are
   * decoded only when the record is parsed: records wait for their commit interval (kept to retry),
   * so a decoded string per record outlived the young generation and was copied into the old one.
   */
  value: string | Uint8Array | null;
}

/** A record's value as text (UTF-8). */
export function recordText(value: string | Uint8Array): string {
  if (typeof value === 'string') return value;
  // A fetched value is a Buffer already: decoded in place, without another view per record.
  return Buffer.isBuffer(value) ? value.toString() : Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString();
}

/**
 * What a source feeds: it owns per-partition positions (stored with its state, so a source seeks
 * to `nextOffset` after every assignment rather than trusting committed group offsets).
 * Partitions are keyed `topic:partition`.
 */
export interface PartitionProcessor {
  /** Takes ownership of these partitions (after a group join or at start). */
  assign(keys: readonly string[]): void;
  /** Where to resume reading a partition (after the last batch applied). */
  nextOffset(key: string): string;
  /** The offset the stored state reflects (behind `nextOffset` while batches wait for their commit interval). */
  storedOffset(key: string): string;
  /** Applies one batch of one partition; it is stored with its commit interval's other batches. */
  applyBatch(key: string, topic: string, records: readonly SourceRecord[]): Promise<void>;
  /** Stores what waits for its commit interval (before the source stops or leaves its group). */
  flush(): Promise<void>;
}

/** A stream of records feeding a processor: Kafka (a consumer group) or the embedded log. */
export interface EventSource {
  start(): Promise<void>;
  /** Lag per `topic:partition` this instance owns (records not yet applied). */
  lag(): Promise<Map<string, number>>;
  stop(): Promise<void>;
}
