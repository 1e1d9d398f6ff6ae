import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@hangarstack/testing/temp-dir';
import { readRecordDir } from './record-dir.ts';

const dirWith = (files: Record<string, string>): string => {
  const dir = tempDir('record-dir-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
};

describe('readRecordDir', () => {
  it('reads every <slug>.json in file-name order and ignores other files', () => {
    const dir = dirWith({ 'b.json': '{"slug":"b","n":2}', 'a.json': '{"slug":"a"}', 'notes.txt': 'x' });
    expect(readRecordDir(dir).map((r) => [r.slug, r.record])).toEqual([
      ['a', { slug: 'a' }],
      ['b', { slug: 'b', n: 2 }],
    ]);
  });

  it('names the file of a record that is not JSON or whose slug is not its file name, and a dir it cannot read', () => {
    expect(() => readRecordDir(dirWith({ 'a.json': '{' }))).toThrow(/a\.json is not valid JSON/);
    expect(() => readRecordDir(dirWith({ 'a.json': '{"slug":"b"}' }))).toThrow(/a\.json: field "slug" is "b", expected "a"/);
    expect(() => readRecordDir('/nonexistent/hangar-data')).toThrow(/\/nonexistent\/hangar-data cannot be read/);
  });
});
