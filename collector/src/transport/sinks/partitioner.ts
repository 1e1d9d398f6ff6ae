import { murmur2 } from '@platformatic/kafka';

/**
 * The partition Kafka's own default partitioner (Java `BuiltInPartitioner`, kafkajs'
 * `DefaultPartitioner`) picks for a keyed record: `toPositive(murmur2(utf8 key)) % partitions`.
 * The sink chooses partitions itself so each one is owned by one producer; keeping Kafka's
 * mapping means every aircraft stays in the partition it was always in, whichever client wrote it.
 */
export function partitionForKey(key: string, partitions: number): number {
  return (murmur2(key) & 0x7fffffff) % partitions;
}
