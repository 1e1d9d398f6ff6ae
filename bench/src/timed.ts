/** Runs a command under /usr/bin/time for wall time, peak RSS (the child's own VmHWM) and CPU time. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withTempDir } from './temp-dir.ts';

export interface Timed {
  ms: number;
  peakRssKb: number;
  /** CPU seconds of the command and the children it waited for (not of a process it left running). */
  userS: number;
  sysS: number;
  /** The last 6,000 characters the command printed. */
  output: string;
}

/** Runs `command args` with `env`; throws with the output's tail when it fails. */
export function timed(command: string, args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<Timed> {
  // time writes its file as the command exits; its dir goes once it is read (a bench run made ~30).
  return withTempDir('hangar-bench-time-', (dir) => {
    const stats = join(dir, 'time.txt');
    return new Promise<Timed>((resolveTimed, reject) => {
      const start = performance.now();
      const child = spawn('/usr/bin/time', ['-o', stats, '-f', '%M %U %S', command, ...args], {
        cwd: options.cwd,
        env: { ...process.env, ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let tail = '';
      const keep = (chunk: Buffer) => {
        tail = (tail + chunk.toString('utf8')).slice(-6_000);
      };
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
      child.once('error', reject);
      child.once('exit', (code) => {
        const ms = performance.now() - start;
        if (code !== 0) {
          reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${tail}`));
          return;
        }
        const [peakRssKb = Number.NaN, userS = Number.NaN, sysS = Number.NaN] = (readFileSync(stats, 'utf8').trim().split('\n').at(-1) ?? '').split(' ').map(Number);
        resolveTimed({ ms, peakRssKb, userS, sysS, output: tail });
      });
    });
  });
}
