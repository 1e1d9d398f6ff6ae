import { describe, expect, it } from 'vitest';
import { explainingExits, startService } from './supervisor.ts';

const node = (code: string) => ({ command: process.execPath, args: ['-e', code] });

describe('explainingExits', () => {
  it('adds what an exited service printed last to the failure', async () => {
    const crashed = await startService({ name: 'crasher', ...node("console.error('out of cheese'); process.exit(3)") }, () => undefined);
    await crashed.exited;
    const running = await startService({ name: 'sleeper', ...node('setTimeout(() => {}, 60_000)') }, () => undefined);
    try {
      const failure = explainingExits([crashed, running], () => Promise.reject(new Error('fetch failed')));
      await expect(failure).rejects.toThrow(/^fetch failed\ncrasher exited \(code 3\); it said last:\nout of cheese/);
      await expect(failure).rejects.not.toThrow(/sleeper/);
    } finally {
      await running.stop();
    }
  });

  it('passes the result through, and an error unchanged when every service still runs', async () => {
    const running = await startService({ name: 'sleeper', ...node('setTimeout(() => {}, 60_000)') }, () => undefined);
    try {
      await expect(explainingExits([running], () => Promise.resolve(42))).resolves.toBe(42);
      const error = new Error('assertion');
      await expect(explainingExits([running], () => Promise.reject(error))).rejects.toBe(error);
    } finally {
      await running.stop();
    }
  });
});
