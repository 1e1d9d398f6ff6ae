import { describe, expect, it } from 'vitest';
import { partitionForKey } from './partitioner.ts';

describe('partitionForKey', () => {
  // Expected values computed with Apache Kafka 4.1.1's own Utils.toPositive(Utils.murmur2(key)) % n.
  it.each([
    ['', 3, 0],
    ['concorde', 3, 1],
    ['boeing-747-400', 12, 10],
    ['airbus-a380', 12, 7],
    ['big jets', 3, 2],
    ['a-little-bit-long-string', 12, 8],
    ['21', 3, 0],
    ['ñandú', 12, 4],
  ])('puts %j in the partition Kafka picks (%i partitions → %i)', (key, partitions, expected) => {
    expect(partitionForKey(key, partitions)).toBe(expected);
  });
});
