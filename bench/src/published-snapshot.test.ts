import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyPopularity, type Popularity } from '@hangarstack/shared';
import { tempDir } from '@hangarstack/testing/temp-dir';
import { appliedIn, PublishedSnapshot, waitForApplied } from './published-snapshot.ts';

/** Publishes a snapshot the way the consumer does: a temp file renamed into place. */
function publish(file: string, offsets: Record<string, string>): Popularity {
  const p: Popularity = { ...emptyPopularity(5, 'kafka'), source: { kind: 'kafka', offsets } };
  writeFileSync(`${file}.tmp`, JSON.stringify(p));
  renameSync(`${file}.tmp`, file);
  return p;
}

describe('PublishedSnapshot', () => {
  it('is null before anything is published, then reads each newly published snapshot once', () => {
    const file = join(tempDir('published-'), 'popularity.json');
    const published = new PublishedSnapshot(file);
    expect(published.latest()).toBeNull();

    publish(file, { 'views:0': '10' });
    const first = published.latest();
    expect(first?.source.offsets).toEqual({ 'views:0': '10' });
    // Unchanged on disk: the same object, not a second read and parse.
    expect(published.latest()).toBe(first);

    publish(file, { 'views:0': '10', 'views:1': '5' });
    const second = published.latest();
    expect(second).not.toBe(first);
    expect(appliedIn(second)).toBe(15);
  });

  it('says what is wrong with a file that is not a snapshot', () => {
    const file = join(tempDir('published-'), 'popularity.json');
    writeFileSync(file, '{"schema":');
    expect(() => new PublishedSnapshot(file).latest()).toThrow(/not valid JSON/);
  });
});

describe('waitForApplied', () => {
  it('resolves with the first snapshot that reflects the count', async () => {
    const file = join(tempDir('published-'), 'popularity.json');
    publish(file, { 'views:0': '3' });
    const waiting = waitForApplied(file, 7, 5_000);
    setTimeout(() => publish(file, { 'views:0': '4', 'views:1': '3' }), 60);
    expect(appliedIn(await waiting)).toBe(7);
  });

  it('fails naming how far the consumer got', async () => {
    const file = join(tempDir('published-'), 'popularity.json');
    publish(file, { 'views:0': '2' });
    await expect(waitForApplied(file, 9, 100, 'activity records')).rejects.toThrow('the consumer applied 2 of 9 activity records within 100 ms');
  });
});
