import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@hangarstack/testing/temp-dir';
import { followBuild } from './early-spare.ts';
import { spareOf } from './spare-copy.ts';

const root = tempDir('hangar-early-spare-');

const put = (dir: string, rel: string, text: string): void => {
  mkdirSync(dirname(join(dir, rel)), { recursive: true });
  writeFileSync(join(dir, rel), text);
};
/** Every file under `dir`: relative path -> inode and text. */
const tree = (dir: string): Map<string, { ino: number; text: string }> =>
  new Map(
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((rel) => lstatSync(join(dir, rel)).isFile())
      .map((rel) => [rel, { ino: lstatSync(join(dir, rel)).ino, text: readFileSync(join(dir, rel), 'utf8') }]),
  );
async function until(what: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!what()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the spare of a build linked while it is written (early-spare.ts)', { timeout: 60_000 }, () => {
  it('ends as exactly the finished build, hard-linked, whatever the build did to files it had written', async () => {
    const build = join(root, 'builds', 'b1');
    for (const rel of ['client/index.html', 'client/aircraft/a/index.html', 'client/aircraft/b/index.html', 'client/gone/x.html', 'client/replaced.html', 'client/rewritten.html', 'client/removed.html'])
      put(build, rel, `first ${rel}`);
    // Quiet long enough that the follow's reading of these directories can be trusted later.
    await sleep(250);
    const early = followBuild(build);
    await until(() => existsSync(join(early.dir, 'client/aircraft/b/index.html')) && existsSync(join(early.dir, 'client/removed.html')));
    // What a build may do after a file was linked: write it again in place (the same inode:
    // the link shows the new bytes), replace it by a rename, remove it or its directory, add files.
    writeFileSync(join(build, 'client/rewritten.html'), 'second rewritten');
    writeFileSync(join(build, 'client/replaced.html.tmp'), 'second replaced');
    renameSync(join(build, 'client/replaced.html.tmp'), join(build, 'client/replaced.html'));
    rmSync(join(build, 'client/removed.html'));
    rmSync(join(build, 'client/gone'), { recursive: true });
    put(build, 'client/aircraft/c/index.html', 'late page');
    put(build, 'client/pagefind/fragment/f1.pf', 'late fragment');
    put(build, 'server/entry.mjs', 'export {}');
    // The record and manifest, written last, are the rebuild's to write: never in a spare.
    put(build, 'hangar-build.json', '{}');
    put(build, 'deploy-manifest.json', '{}');
    const linkedAfter = await early.finish();

    const spare = spareOf(build);
    expect(existsSync(early.dir)).toBe(false);
    const built = tree(build);
    built.delete('hangar-build.json');
    built.delete('deploy-manifest.json');
    expect(tree(spare)).toEqual(built);
    expect(existsSync(join(spare, 'client/gone'))).toBe(false);
    // At least the files that appeared after the follow's last look; not the whole build again.
    expect(linkedAfter.files).toBeGreaterThanOrEqual(3);
    expect(linkedAfter.files).toBeLessThan(built.size);
    // Directories it made: at least server/ (the follow reads only client/), at most the four that
    // appeared after the follow's last look (aircraft/c, pagefind, pagefind/fragment, server), never
    // the ones it followed (client, aircraft, aircraft/a, aircraft/b).
    expect(linkedAfter.dirs).toBeGreaterThanOrEqual(1);
    expect(linkedAfter.dirs).toBeLessThanOrEqual(4);
  });

  it('a file replaced by a rename in a directory the follow reads again is linked anew', async () => {
    const build = join(root, 'builds', 'b3');
    put(build, 'client/index.html', 'first');
    put(build, 'client/aircraft/a/index.html', 'page');
    await sleep(250);
    const early = followBuild(build);
    await until(() => existsSync(join(early.dir, 'client/index.html')));
    writeFileSync(join(build, 'client/index.html.tmp'), 'second');
    renameSync(join(build, 'client/index.html.tmp'), join(build, 'client/index.html'));
    put(build, 'client/new.html', 'new');
    // Quiet, then a file elsewhere: once it is linked, the follow has read client/ again since
    // the change, long enough after it for its mtime to be trusted.
    await sleep(250);
    put(build, 'client/aircraft/a/marker.html', 'marker');
    await until(() => existsSync(join(early.dir, 'client/aircraft/a/marker.html')));
    put(build, 'hangar-build.json', '{}');
    await early.finish();
    const built = tree(build);
    built.delete('hangar-build.json');
    expect(tree(spareOf(build))).toEqual(built);
  });

  it('a build that failed: abort removes the partial tree', async () => {
    const build = join(root, 'builds', 'b2');
    put(build, 'client/index.html', 'page');
    const early = followBuild(build);
    await until(() => existsSync(join(early.dir, 'client/index.html')));
    await early.abort();
    expect(existsSync(early.dir)).toBe(false);
    expect(existsSync(spareOf(build))).toBe(false);
  });
});
