import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@hangarstack/testing/temp-dir';
import { spareOf, spareTemp, staleSpares } from './spare-copy.ts';

const builds = tempDir('hangar-spares-');

describe('staleSpares', () => {
  it("lists other builds' spares and trees of processes that are gone, not the live build's spare or a tree being made", () => {
    const live = join(builds, 'b2');
    // A process that has exited: its pid is free (until reused, which only delays a clean-up).
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim();
    const names = {
      liveSpare: spareOf(live),
      oldSpare: spareOf(join(builds, 'b1')),
      ours: spareTemp(live),
      killed: join(builds, `.spare-tmp-${dead}-1764500000000`),
    };
    for (const dir of Object.values(names)) mkdirSync(dir);
    mkdirSync(join(builds, 'b1'));
    expect(staleSpares(builds, live).sort()).toEqual([names.oldSpare, names.killed].sort());
  });
});
