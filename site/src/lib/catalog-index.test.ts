import { describe, expect, it } from 'vitest';
import { byMaker, groupBy, pick, relatedTo, type Entry } from './catalog-index.ts';

const entry = (id: string, manufacturer: string, roles: string[], related: string[] = []): Entry => ({ id, data: { manufacturer, roles, related } });

/** The straightforward O(n) per call definition the index must reproduce exactly. */
function naiveRelated(list: Entry[], a: Entry): Entry[] {
  const named = a.data.related.flatMap((s) => list.find((o) => o.id === s) ?? []);
  if (named.length > 0) return named;
  const role = a.data.roles[0];
  const same = (o: Entry) => Number(o.data.manufacturer === a.data.manufacturer);
  return list
    .filter((o) => o.id !== a.id && (o.data.manufacturer === a.data.manufacturer || (role !== undefined && o.data.roles.includes(role))))
    .sort((x, y) => same(y) - same(x))
    .slice(0, 4);
}

describe('catalogue lookups', () => {
  const list = Array.from({ length: 60 }, (_, i) => entry(`a${i}`, `m${i % 7}`, i % 5 === 0 ? ['fighter', 'trainer'] : [['fighter', 'airliner', 'trainer'][i % 3] as string], i === 11 ? ['a3', 'gone', 'a4'] : []));

  it('relatedTo: named related first, else same maker then same first role, as the plain scan', () => {
    for (const a of list) expect(relatedTo(list, a).map((o) => o.id), a.id).toEqual(naiveRelated(list, a).map((o) => o.id));
    expect(relatedTo(list, list[11] as Entry).map((o) => o.id)).toEqual(['a3', 'a4']);
  });

  it('pick keeps order and drops unknown slugs; byMaker and groupBy keep list order', () => {
    expect(pick(list, ['a9', 'nope', 'a2']).map((o) => o.id)).toEqual(['a9', 'a2']);
    expect(byMaker(list, 'm3').map((o) => o.id)).toEqual(['a3', 'a10', 'a17', 'a24', 'a31', 'a38', 'a45', 'a52', 'a59']);
    expect(byMaker(list, 'none')).toEqual([]);
    const groups = groupBy(list, (a) => a.data.roles);
    expect([...groups.keys()]).toEqual(['airliner', 'fighter', 'trainer']);
    expect(groups.get('trainer')?.[0]?.id).toBe('a0');
  });
});
