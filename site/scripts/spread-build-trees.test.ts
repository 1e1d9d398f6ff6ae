import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spreadBuildTrees } from './spread-build-trees.ts';

const dirs: string[] = [];
const tempIn = (parent: string): string => {
  const dir = mkdtempSync(join(parent, 'hangar-spread-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
/** The dir's ext2/3/4 flags as lsattr prints them, or undefined where the file system has none. */
const flags = (dir: string): string | undefined => {
  const listed = spawnSync('lsattr', ['-d', dir], { encoding: 'utf8' });
  return listed.status === 0 ? listed.stdout.split(/\s/)[0] : undefined;
};

describe('spreadBuildTrees', () => {
  it('sets the top-of-hierarchy flag where the file system has it (ext4 here), and reports false elsewhere without throwing', () => {
    const builds = tempIn(tmpdir());
    const before = flags(builds);
    const set = spreadBuildTrees(builds);
    if (before === undefined) expect(set).toBe(false);
    else {
      expect(before).not.toContain('T');
      expect(set).toBe(true);
      expect(flags(builds)).toContain('T');
    }
  });

  it('reports false on a file system without such flags (tmpfs), and leaves the dir as it was', () => {
    if (!existsSync('/dev/shm')) throw new Error('this test needs /dev/shm (a tmpfs on Linux)');
    const builds = tempIn('/dev/shm');
    expect(spreadBuildTrees(builds)).toBe(false);
    expect(existsSync(builds)).toBe(true);
  });
});
