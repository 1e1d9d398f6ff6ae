/**
 * Batch compression for beacon-sized batches: the same view records, in batches of the size the
 * single-event path forms, through one idempotent `@platformatic/kafka` producer (acks=all, the
 * collector's client) with each codec, in interleaved rounds so no codec gets the quiet moment.
 * Rows: records/s, this process's CPU per record (steadier than a rate on a shared machine), and
 * bytes per record in the broker's log (what retention and replication pay).
 */
import { createHash } from 'node:crypto';
import { Admin, Producer, stringSerializers } from '@platformatic/kafka';
import { catalogueSlugs } from './beacons.ts';
import { ratio } from './stats.ts';
import type { BenchRow } from './table.ts';

const CODECS = ['none', 'lz4', 'zstd', 'gzip'] as const;
const PARTITIONS = 3;

/**
 * View records as the collector writes them: real slugs, and a visitor hash and event id that
 * differ per record (constant ones would flatter every codec).
 */
function viewRecords(count: number): { key: string; value: string }[] {
  const slugs = catalogueSlugs();
  const receivedAt = Date.now();
  return Array.from({ length: count }, (_, i) => {
    const aircraft = slugs[i % slugs.length] as string;
    const hash = createHash('sha256').update(String(i)).digest('hex');
    const value = { schema: 1, type: 'view', id: `${hash.slice(32, 44)}-${i.toString(36)}`, clientTs: receivedAt - (i % 900), receivedAt: receivedAt + i, visitor: hash.slice(0, 32), device: 'desktop', aircraft };
    return { key: aircraft, value: JSON.stringify(value) };
  });
}

/** Bytes the broker's log holds for `topic` (all partitions). */
async function logBytes(admin: Admin, topic: string): Promise<number> {
  const dirs = await admin.describeLogDirs({ topics: [{ name: topic, partitions: Array.from({ length: PARTITIONS }, (_, p) => p) }] });
  let bytes = 0;
  for (const broker of dirs) for (const dir of broker.results) for (const t of dir.topics) for (const p of t.partitions) if (t.name === topic) bytes += Number(p.partitionSize);
  return bytes;
}

/** Produces `total` records per codec in batches of `batchSize`; rows `producer.compression.<codec>.*`. */
export async function compressionComparison(brokers: string, total: number, batchSize = 16): Promise<BenchRow[]> {
  const run = Date.now().toString(36);
  const bootstrapBrokers = brokers.split(',');
  const admin = new Admin({ clientId: 'bench-compression-admin', bootstrapBrokers });
  const topicOf = (codec: string) => `bench.compression.${run}.${codec}`;
  await admin.createTopics({ topics: CODECS.map(topicOf), partitions: PARTITIONS, replicas: 1 });
  const producers = new Map(
    CODECS.map((codec) => [
      codec,
      new Producer<string, string, string, string>({ clientId: `bench-compression-${codec}`, bootstrapBrokers, idempotent: true, compression: codec, serializers: stringSerializers }),
    ]),
  );
  const all = viewRecords(total).map((m, i) => ({ ...m, partition: i % PARTITIONS }));
  const batches: (typeof all)[] = [];
  for (let i = 0; i < all.length; i += batchSize) batches.push(all.slice(i, i + batchSize));
  const ms = new Map<string, number>(CODECS.map((c) => [c, 0]));
  const cpuUs = new Map<string, number>(CODECS.map((c) => [c, 0]));
  try {
    const rounds = 8;
    const perRound = Math.ceil(batches.length / rounds);
    for (let r = 0; r < rounds; r++) {
      const round = batches.slice(r * perRound, (r + 1) * perRound);
      for (const codec of [...CODECS.slice(r % CODECS.length), ...CODECS.slice(0, r % CODECS.length)]) {
        const producer = producers.get(codec) as Producer<string, string, string, string>;
        const start = performance.now();
        const cpu = process.cpuUsage();
        for (const batch of round) await producer.send({ messages: batch.map((m) => ({ ...m, topic: topicOf(codec) })) });
        const used = process.cpuUsage(cpu);
        ms.set(codec, (ms.get(codec) ?? 0) + performance.now() - start);
        cpuUs.set(codec, (cpuUs.get(codec) ?? 0) + used.user + used.system);
      }
    }
    const bytes = new Map<string, number>();
    for (const codec of CODECS) bytes.set(codec, await logBytes(admin, topicOf(codec)));
    const rate = (codec: string) => (total * 1000) / (ms.get(codec) ?? Number.NaN);
    const perRecord = (codec: string) => (bytes.get(codec) ?? Number.NaN) / total;
    const cpuPerRecord = (codec: string) => (cpuUs.get(codec) ?? Number.NaN) / total;
    return CODECS.flatMap((codec): BenchRow[] => [
      {
        id: `producer.compression.${codec}.records_per_s`,
        section: 'producer',
        measure: `@platformatic/kafka ${codec}: records/s (batches of ${batchSize})`,
        value: rate(codec),
        unit: 'rec/s',
        ...(codec === 'none' ? {} : { baseline: { name: 'none', value: rate('none') }, ratio: ratio(rate(codec), rate('none')) }),
      },
      {
        id: `producer.compression.${codec}.cpu_us_per_record`,
        section: 'producer',
        measure: `@platformatic/kafka ${codec}: producer CPU per record`,
        value: cpuPerRecord(codec),
        unit: 'µs',
        ...(codec === 'none' ? {} : { baseline: { name: 'none', value: cpuPerRecord('none') }, ratio: ratio(cpuPerRecord(codec), cpuPerRecord('none')) }),
      },
      {
        id: `producer.compression.${codec}.bytes_per_record`,
        section: 'producer',
        measure: `@platformatic/kafka ${codec}: bytes per record in the log`,
        value: perRecord(codec),
        unit: 'B',
        ...(codec === 'none' ? {} : { baseline: { name: 'none', value: perRecord('none') }, ratio: ratio(perRecord(codec), perRecord('none')) }),
      },
    ]);
  } finally {
    for (const producer of producers.values()) await producer.close();
    await admin.close();
  }
}

if (import.meta.main) {
  const { renderTable } = await import('./table.ts');
  console.log(renderTable(await compressionComparison(process.env.KAFKA_BROKERS ?? '127.0.0.1:9092', Number(process.argv[2] ?? 20_000))));
}
