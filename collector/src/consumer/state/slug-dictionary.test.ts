import { describe, expect, it } from 'vitest';
import { SlugDictionary } from './slug-dictionary.ts';

describe('SlugDictionary', () => {
  it('gives ids in first-written order, one row per commit that gave new ones, and a restore from its rows names the same ids', () => {
    const slugs = new SlugDictionary();
    expect(['concorde', 'a380', 'concorde'].map((s) => slugs.idOf(s))).toEqual([0, 1, 0]);
    const first = slugs.takeRow();
    expect(slugs.takeRow()).toBeNull();
    expect(slugs.idOf('a380')).toBe(1);
    expect(slugs.takeRow()).toBeNull();
    expect(['spitfire', 'b-52'].map((s) => slugs.idOf(s))).toEqual([2, 3]);
    const second = slugs.takeRow();
    expect([first?.item, second?.item]).toEqual(['0000000000', '0000000002']);
    const copy = new SlugDictionary();
    for (const row of [first, second]) if (row) copy.load(row.item, row.value);
    expect([0, 1, 2, 3].map((id) => copy.at(id))).toEqual(['concorde', 'a380', 'spitfire', 'b-52']);
    expect(copy.idOf('dc-3')).toBe(4);
    expect(copy.takeRow()?.item).toBe('0000000004');
    expect(() => copy.at(7)).toThrow(/no slug has id 7.*restore the partition from the changelog/);
  });

  it('takes a row that gives ids again (a failed write rewritten) as replacing those ids and every later one', () => {
    const failed = new SlugDictionary();
    failed.idOf('concorde');
    const base = failed.takeRow();
    failed.idOf('a380');
    failed.idOf('spitfire');
    const lost = failed.takeRow();
    // The rewrite, after a reload from the store: only one new slug this time, in the same place.
    const rewritten = new SlugDictionary();
    if (base) rewritten.load(base.item, base.value);
    rewritten.idOf('b-52');
    const again = rewritten.takeRow();
    // A member replaying the changelog reads the failed row, its deletion, then the rewrite.
    const replay = new SlugDictionary();
    for (const [row, value] of [[base, base?.value], [lost, lost?.value], [lost, null], [again, again?.value]] as const) if (row) replay.load(row.item, value ?? null);
    expect([replay.at(0), replay.at(1)]).toEqual(['concorde', 'b-52']);
    expect(() => replay.at(2)).toThrow(/no slug has id 2/);
    expect([replay.idOf('a380'), replay.idOf('spitfire'), replay.idOf('b-52')]).toEqual([2, 3, 1]);
  });
});
