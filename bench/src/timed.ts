/** Runs a command under /usr/bin/time for wall time and peak RSS (the child's own VmHWM). */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface Timed {
  ms: number;
  peakRssKb: number;
  /** The last 6,000 characters the command printed. */
  output: string;
}

/** Runs `command args` with `env`; throws with the output's tail when it fails. */
export function timed(command: string, args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<Timed> {
  const stats = join(mkdtempSync(join(tmpdir(), 'hangar-bench-time-')), 'time.txt');
  return new Promise((resolveTimed, reject) => {
    const start = performance.now();
    const child = spawn('/usr/bin/time', ['-o', stats, '-f', '%M', command, ...args], {
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
      // time writes its file as the command exits; read once, its dir goes (a bench run made ~30).
      let stat = '';
      try {
        stat = readFileSync(stats, 'utf8');
      } catch {
        // A command time could not start writes none: the exit code below says what happened.
      }
      rmSync(dirname(stats), { recursive: true, force: true });
      if (code !== 0) {
        reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${tail}`));
        return;
      }
      const peakRssKb = Number(stat.trim().split('\n').at(-1));
      resolveTimed({ ms, peakRssKb, output: tail });
    });
  });
}
