import { describe, expect, it } from 'vitest';
import { sameAsLast } from './same-as-last.ts';

describe('sameAsLast', () => {
  it('computes once for the same arguments, again when any of them is another object, and keeps only the last', () => {
    let calls = 0;
    const paths = sameAsLast((list: readonly string[], snapshot: { week: number }) => {
      calls += 1;
      return list.map((slug) => `${slug}:${snapshot.week}`);
    });
    const list = ['a', 'b'];
    const snapshot = { week: 1 };
    const first = paths(list, snapshot);
    expect(paths(list, snapshot)).toBe(first);
    expect(calls).toBe(1);
    expect(paths(list, { week: 2 })).toEqual(['a:2', 'b:2']);
    expect(paths([...list], { week: 2 })).toEqual(['a:2', 'b:2']);
    expect(calls).toBe(3);
    expect(paths(list, snapshot)).toEqual(first);
    expect(calls).toBe(4);
  });

  it('ifSame answers the last result for the same arguments and computes nothing otherwise', () => {
    let calls = 0;
    const paths = sameAsLast((list: readonly string[]) => {
      calls += 1;
      return list.map((slug) => slug.toUpperCase());
    });
    const list = ['a'];
    expect(paths.ifSame(list)).toBeUndefined();
    const first = paths(list);
    expect(paths.ifSame(list)).toBe(first);
    expect(paths.ifSame(['a'])).toBeUndefined();
    expect(calls).toBe(1);
  });
});
