import { describe, expect, it } from 'vitest';
import { OriginCapWindow } from './origin-cap-window.ts';
import { hash53, pairHash } from './sketch.ts';

describe('OriginCapWindow', () => {
  it('admits the first 3 visitors of an origin per aircraft per day, the same visitor again, and no 4th', () => {
    const cap = new OriginCapWindow(3, 31);
    const admit = (aircraft: string, visitor: string, day = 100) => cap.admit(aircraft, 'net-1', visitor, day, 100).counts;
    expect(['v1', 'v2', 'v3', 'v4'].map((v) => admit('concorde', v))).toEqual([true, true, true, false]);
    expect(admit('concorde', 'v2')).toBe(true);
    // Another aircraft, or the next day, has its own 3.
    expect(admit('a380', 'v4')).toBe(true);
    expect(admit('concorde', 'v4', 101)).toBe(true);
  });

  it('restores what it remembered from the stored pairs, a pair stored twice counting once', () => {
    const first = new OriginCapWindow(3, 31);
    const remembered: number[] = [];
    for (const v of ['v1', 'v2']) remembered.push(...(first.admit('concorde', 'net-1', v, 100, 100).remembered ?? []));
    const copy = new OriginCapWindow(3, 31);
    copy.load(100, Float64Array.from([...remembered, ...remembered]));
    expect(copy.admit('concorde', 'net-1', 'v1', 100, 100)).toEqual({ counts: true });
    expect(copy.admit('concorde', 'net-1', 'v3', 100, 100).counts).toBe(true);
    expect(copy.admit('concorde', 'net-1', 'v4', 100, 100).counts).toBe(false);
  });

  it('hashes pairs apart that share a key or a visitor', () => {
    const hashes = new Set<number>();
    for (let k = 0; k < 300; k++) for (let v = 0; v < 300; v++) hashes.add(pairHash(hash53(`k${k}`), hash53(`v${v}`)));
    expect(hashes.size).toBe(90_000);
  });
});
