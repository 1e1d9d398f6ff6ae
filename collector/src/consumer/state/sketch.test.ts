import { describe, expect, it } from 'vitest';
import { REGISTERS, Sketch, SketchUnion, hash53, hash53Bytes, hash53Joined, hash53JoinedBytes } from './sketch.ts';

/** A known stream: `n` distinct visitor ids shaped like the collector's (32 hex), each seen `repeat` times. */
function visitors(n: number, salt: string): string[] {
  return Array.from({ length: n }, (_, i) => `${salt}${i.toString(16)}`.padStart(32, '0').slice(-32));
}

describe('Sketch (HyperLogLog, precision 14)', () => {
  it('counts 10,000 distinct visitors within 2 % (README: ≈ 0.8 % standard error), however often each repeats', () => {
    const errors: number[] = [];
    for (const salt of ['a', 'b', 'c', 'd', 'e']) {
      const s = new Sketch();
      for (let round = 0; round < 3; round++) for (const v of visitors(10_000, salt)) s.add(v);
      errors.push(Math.abs(s.count() - 10_000) / 10_000);
    }
    expect(Math.max(...errors)).toBeLessThanOrEqual(0.02);
    // And it is an estimate of that stream, not a constant: half the visitors give about half.
    const half = new Sketch();
    for (const v of visitors(5_000, 'a')) half.add(v);
    expect(Math.abs(half.count() - 5_000) / 5_000).toBeLessThanOrEqual(0.02);
  });

  it('is exact in practice for the small counts k-anonymity compares against', () => {
    const s = new Sketch();
    for (let k = 1; k <= 20; k++) {
      s.add(visitors(k, 'small')[k - 1] as string);
      expect(s.count()).toBe(k);
    }
  });

  it('stays within 2 % at 40,000 (2.4 × the registers), where the raw estimator is biased', () => {
    for (const salt of ['a', 'b', 'c', 'd']) {
      const s = new Sketch();
      for (const v of visitors(40_000, salt)) s.add(v);
      expect(Math.abs(s.count() - 40_000) / 40_000).toBeLessThanOrEqual(0.02);
    }
  });

  it('stays within 2 % at 200,000 (dense, raw estimator)', () => {
    const s = new Sketch();
    for (const v of visitors(200_000, 'big')) s.add(v);
    expect(Math.abs(s.count() - 200_000) / 200_000).toBeLessThanOrEqual(0.02);
    expect(s.toBytes().length).toBe(1 + REGISTERS);
  });

  it('hashes ASCII bytes as it hashes their text (the id, visitor and origin of a view are hashed from the fetched record)', () => {
    const bytes = Buffer.from('{"id":"evt-0000000000000001","visitor":"0123456789abcdef0123456789abcdef"}');
    for (const [start, end] of [[7, 27], [40, 72], [0, bytes.length], [5, 5]] as const) {
      const text = bytes.toString('latin1', start, end);
      expect(hash53Bytes(bytes, start, end)).toBe(hash53(text));
      expect(hash53JoinedBytes('concorde', bytes, start, end)).toBe(hash53Joined('concorde', text));
    }
    expect(hash53Bytes(bytes, 40, 72)).not.toBe(hash53Bytes(bytes, 41, 72));
    const byHash = new Sketch();
    const byText = new Sketch();
    for (const v of visitors(300, 'h')) {
      byHash.addHash(hash53Bytes(Buffer.from(v), 0, v.length));
      byText.add(v);
    }
    expect(byHash.toBytes()).toEqual(byText.toBytes());
  });

  it('merges partitions and hours like a union of the visitor sets', () => {
    const all = visitors(12_000, 'm');
    const [a, b, union] = [new Sketch(), new Sketch(), new Sketch()];
    all.forEach((v, i) => {
      (i % 3 === 0 ? a : b).add(v);
      if (i % 2 === 0) a.add(v); // overlap: some visitors are in both
      union.add(v);
    });
    a.merge(b);
    expect(a.count()).toBe(union.count());
  });

  it('round-trips through bytes, sparse (4 bytes per register used) and dense', () => {
    const small = new Sketch();
    for (const v of visitors(50, 'r')) small.add(v);
    expect(small.toBytes().length).toBe(1 + 4 * 50);
    expect(Sketch.fromBytes(small.toBytes()).count()).toBe(small.count());
    const big = new Sketch();
    for (const v of visitors(30_000, 'r')) big.add(v);
    const copy = Sketch.fromBytes(big.toBytes());
    expect(copy.count()).toBe(big.count());
    copy.add('not-seen-before-0000000000000000');
    expect(Math.abs(copy.count() - big.count())).toBeLessThanOrEqual(2);
  });

  it('keeps its entries sorted however they arrive: the same bytes and count as one built from a stored copy, at every size up to dense', () => {
    // Entries grow in place (spare capacity), so each size is checked against the stored form read
    // back (fromBytes: an exact array), and a sketch grown in the reverse order.
    const ids = visitors(2_200, 'grow');
    const forward = new Sketch();
    const backward = new Sketch();
    for (let i = 0; i < ids.length; i++) {
      forward.add(ids[i] as string);
      backward.add(ids[ids.length - 1 - i] as string);
      if (i < 80 || i % 97 === 0) {
        const bytes = forward.toBytes();
        const stored = Sketch.fromBytes(bytes);
        expect(stored.toBytes()).toEqual(bytes);
        expect(stored.count()).toBe(forward.count());
        if (bytes[0] === 0) for (let at = 5; at < bytes.length; at += 4) expect(new DataView(bytes.buffer).getUint32(at, true) >>> 6).toBeGreaterThan(new DataView(bytes.buffer).getUint32(at - 4, true) >>> 6);
      }
    }
    expect(forward.toBytes()[0]).toBe(1);
    expect(backward.toBytes()).toEqual(forward.toBytes());
    // Empty sketches share nothing: adding to one leaves a fresh one (and one read back empty) empty.
    const unpacked = Sketch.fromBytes(new Sketch().toBytes());
    const a = new Sketch();
    a.add('a-visitor-00000000000000000000000');
    unpacked.add('b-visitor-00000000000000000000000');
    expect(new Sketch().isEmpty).toBe(true);
    expect(a.count()).toBe(1);
    expect(unpacked.count()).toBe(1);
  });

  it('counts a union in place exactly as merging the sketches would, sparse and dense, and starts over after clear', () => {
    // Hour-like sketches: many small ones, a few past the sparse limit, overlapping visitors.
    const hours = Array.from({ length: 40 }, (_, h) => {
      const s = new Sketch();
      for (const v of visitors(h % 10 === 0 ? 6_000 : 50 + h * 7, `u${h % 13}`)) s.add(v);
      return s;
    });
    const union = new SketchUnion();
    for (const subset of [hours.slice(0, 1), hours.slice(1, 10), hours]) {
      const merged = new Sketch();
      for (const s of subset) {
        merged.merge(s);
        union.add(s);
      }
      expect(union.count()).toBe(merged.count());
      union.clear();
    }
    expect(union.count()).toBe(0);
    const big = new Sketch();
    for (const v of visitors(90_000, 'big')) big.add(v);
    union.add(big);
    expect(union.count()).toBe(big.count());
    expect(Math.abs(union.count() - 90_000) / 90_000).toBeLessThanOrEqual(0.02);
  });
});
