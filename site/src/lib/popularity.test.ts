import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@hangarstack/testing/temp-dir';
import { NEUTRAL_POPULARITY, readPopularity } from './popularity.ts';

const dir = tempDir('hangar-popularity-');
const fixture = readFileSync(new URL('../../test/fixtures/popularity.json', import.meta.url), 'utf8');

describe('readPopularity', () => {
  it('gives neutral lists when the file is absent', () => {
    expect(readPopularity(join(dir, 'absent.json'))).toEqual({ popularity: NEUTRAL_POPULARITY, present: false });
  });

  it('reads a valid snapshot', () => {
    const file = join(dir, 'ok.json');
    writeFileSync(file, fixture);
    const { popularity, present } = readPopularity(file);
    expect(present).toBe(true);
    expect(popularity.popular[0]).toBe('aerospatiale-bac-concorde');
  });

  it('fails on unreadable JSON, naming the file', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{"schema": 1,');
    expect(() => readPopularity(file)).toThrow(`POPULARITY_FILE ${file} is not valid JSON`);
  });

  it('fails on a schema mismatch, naming the field', () => {
    const file = join(dir, 'bad.json');
    const bad = JSON.parse(fixture) as { aircraft: Record<string, object> };
    bad.aircraft['boeing-747-400'] = { ...bad.aircraft['boeing-747-400'], rank: 0 };
    writeFileSync(file, JSON.stringify(bad));
    expect(() => readPopularity(file)).toThrow(/aircraft\.boeing-747-400\.rank: /);
  });
});
