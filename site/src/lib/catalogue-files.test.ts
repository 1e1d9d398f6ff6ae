import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCollectionFiles } from './catalogue-files.ts';

const FIXTURES = new URL('../../test/fixtures/', import.meta.url).pathname;

describe('readCollectionFiles (the catalogue read at render time)', () => {
  it('gives the glob loader ids: a record slug, else the lower-cased file name; in file order', () => {
    const aircraft = readCollectionFiles(FIXTURES, 'aircraft');
    expect(aircraft.map((a) => a.id)).toEqual([...aircraft.map((a) => a.id)].sort());
    expect(aircraft.find((a) => a.id === 'boeing-747-400')?.data.name).toBeTruthy();
    expect(readCollectionFiles(FIXTURES, 'types').map((t) => t.id)).toContain('a388');
  });

  it('applies the shared schema (defaults filled in) and names the file when a record is invalid', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hangar-catalogue-'));
    try {
      cpSync(join(FIXTURES, 'aircraft'), join(dir, 'aircraft'), { recursive: true });
      expect(readCollectionFiles(dir, 'aircraft').every((a) => Array.isArray(a.data.related))).toBe(true);
      // A catalogue without types/ (the synthetic bench catalogue) has no type entries, as in a build.
      expect(readCollectionFiles(dir, 'types')).toEqual([]);
      // Without manufacturers/ the data dir is wrong (a build would have no maker pages): an error, not an empty list.
      expect(() => readCollectionFiles(dir, 'manufacturers')).toThrow(`${join(dir, 'manufacturers')}: no such directory; HANGAR_DATA_DIR must name the catalogue`);
      cpSync(join(FIXTURES, 'manufacturers', 'boeing.json'), join(dir, 'aircraft', 'not-an-aircraft.json'));
      expect(() => readCollectionFiles(dir, 'aircraft')).toThrow(/not-an-aircraft\.json/);
      // What a full build fails with on a bad record: the file, then each bad field with the schema's message.
      const file = join(dir, 'aircraft', 'not-an-aircraft.json');
      cpSync(join(FIXTURES, 'aircraft', 'boeing-747-400.json'), file);
      writeFileSync(file, JSON.stringify({ ...(JSON.parse(readFileSync(file, 'utf8')) as object), slug: 'Not A Slug!' }));
      expect(() => readCollectionFiles(dir, 'aircraft')).toThrow(`${file}: slug: must be lower-case kebab-case`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
