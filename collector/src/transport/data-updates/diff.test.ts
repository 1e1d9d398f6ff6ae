import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataUpdateKey, dataUpdateSchema, type DataUpdate } from '@hangarstack/shared';
import { tempDir } from '@hangarstack/testing/temp-dir';
import { readCatalogue, recordDigest } from './catalogue.ts';
import { diffCatalogue } from './diff.ts';

const concorde = { slug: 'concorde', name: 'Concorde', maxSpeedKmh: 2179, sources: [{ title: 'a', url: 'https://x' }] };

function publishedFrom(updates: readonly DataUpdate[]): Map<string, DataUpdate> {
  return new Map(updates.map((u) => [dataUpdateKey(u.kind, u.slug), u]));
}

describe('diffCatalogue', () => {
  it('adds every record the first time, with all its fields, and valid against the topic schema', () => {
    const current = new Map([['aircraft:concorde', recordDigest('aircraft', 'concorde', concorde)]]);
    const updates = diffCatalogue(current, new Map(), 1_000);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ kind: 'aircraft', slug: 'concorde', change: 'added', fields: ['maxSpeedKmh', 'name', 'slug', 'sources'] });
    expect(dataUpdateSchema.parse(updates[0])).toEqual(updates[0]);
  });

  it('publishes nothing when nothing changed, whatever the key order', () => {
    const first = diffCatalogue(new Map([['aircraft:concorde', recordDigest('aircraft', 'concorde', concorde)]]), new Map(), 1);
    const reordered = { sources: concorde.sources, maxSpeedKmh: 2179, name: 'Concorde', slug: 'concorde' };
    expect(diffCatalogue(new Map([['aircraft:concorde', recordDigest('aircraft', 'concorde', reordered)]]), publishedFrom(first), 2)).toEqual([]);
  });

  it('names exactly the changed, added and dropped fields of a changed record', () => {
    const first = diffCatalogue(new Map([['aircraft:concorde', recordDigest('aircraft', 'concorde', concorde)]]), new Map(), 1);
    const edited = { slug: 'concorde', name: 'Concorde', maxSpeedKmh: 2180, sources: concorde.sources, crew: 3 };
    const next = diffCatalogue(new Map([['aircraft:concorde', recordDigest('aircraft', 'concorde', edited)]]), publishedFrom(first), 2);
    expect(next).toMatchObject([{ change: 'changed', fields: ['crew', 'maxSpeedKmh'] }]);
  });

  it('removes a record once, and adds it again when it comes back', () => {
    const first = diffCatalogue(new Map([['manufacturer:boeing', recordDigest('manufacturer', 'boeing', { slug: 'boeing' })]]), new Map(), 1);
    const removed = diffCatalogue(new Map(), publishedFrom(first), 2);
    expect(removed).toMatchObject([{ kind: 'manufacturer', slug: 'boeing', change: 'removed', digest: null, fields: [] }]);
    expect(diffCatalogue(new Map(), publishedFrom(removed), 3)).toEqual([]);
    const back = diffCatalogue(new Map([['manufacturer:boeing', recordDigest('manufacturer', 'boeing', { slug: 'boeing' })]]), publishedFrom(removed), 4);
    expect(back).toMatchObject([{ change: 'added' }]);
  });
});

describe('readCatalogue', () => {
  it('reads aircraft and manufacturers keyed kind:slug, and refuses a slug that is not its file name', () => {
    const dir = tempDir('catalogue-');
    mkdirSync(join(dir, 'aircraft'));
    mkdirSync(join(dir, 'manufacturers'));
    writeFileSync(join(dir, 'aircraft', 'concorde.json'), JSON.stringify(concorde));
    writeFileSync(join(dir, 'manufacturers', 'boeing.json'), '{"slug":"boeing"}');
    expect([...readCatalogue(dir).keys()]).toEqual(['aircraft:concorde', 'manufacturer:boeing']);
    writeFileSync(join(dir, 'aircraft', 'other.json'), JSON.stringify(concorde));
    expect(() => readCatalogue(dir)).toThrow(/other\.json: field "slug" is "concorde", expected "other"/);
  });
});
