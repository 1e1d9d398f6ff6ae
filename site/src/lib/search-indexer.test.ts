import { describe, expect, it } from 'vitest';
import { byPath, isIndexedPath } from './search-indexer.ts';

describe('isIndexedPath', () => {
  it('is true for aircraft pages and type entries only', () => {
    const plan = ['/', '/aircraft/a/', '/aircraft/a-b/', '/role/fighter/', '/aircraft/c/', '/type/b738/', '/aircraft/d/', '/aircraft/a.json', '/aircraft/', '/type/b738/x/'];
    expect(plan.filter(isIndexedPath)).toEqual(['/aircraft/a/', '/aircraft/a-b/', '/aircraft/c/', '/type/b738/', '/aircraft/d/']);
  });
});

describe('byPath', () => {
  it('orders by UTF-16 code units, not locale rules', () => {
    expect(['/aircraft/a/', '/aircraft/a-b/', '/aircraft/B/', '/aircraft/é/'].sort(byPath)).toEqual(['/aircraft/B/', '/aircraft/a-b/', '/aircraft/a/', '/aircraft/é/']);
    expect(byPath('/x/', '/x/')).toBe(0);
  });
});
