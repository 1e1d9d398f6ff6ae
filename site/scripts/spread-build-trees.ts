import { spawnSync } from 'node:child_process';

/**
 * Marks the live layout's `builds/` as the top of unrelated directory trees for ext4's inode
 * allocator (`chattr +T`, the "top of directory hierarchies" flag; Node has no call for it).
 *
 * Why: ext4 puts a new directory, and every file in it, in its parent's flex group, and a file
 * system without a journal (this machine's) skips every inode freed there in the last minute or
 * more when it allocates one: each create scans past all of them (`recently_deleted`). A build is
 * ~4,200 inodes at 1k aircraft (3,100 files, 1,060 directories) plus the render worker's spare
 * (~1,060 directories), and a build right after a prune of old builds, or a bench run right after
 * the previous run's tree was removed, landed on exactly those inodes: the page-writer thread
 * alone spent 0.3-2.0 s of kernel time where 0.17-0.2 s is its own work. Under a directory
 * with the flag ext4 places each new child directory (each build, each spare) with the Orlov
 * spread, in a flex group with few directories chosen from a hash of its name, as it does for
 * directories under `/`: a new build no longer lands where the last one was just deleted.
 *
 * Best effort: another file system (or no `chattr`) keeps the default placement; returns whether
 * the flag is set. Idempotent, ~1.5 ms; a full build calls it before its child makes the build dir.
 */
export function spreadBuildTrees(builds: string): boolean {
  return spawnSync('chattr', ['+T', builds], { stdio: 'ignore' }).status === 0;
}
