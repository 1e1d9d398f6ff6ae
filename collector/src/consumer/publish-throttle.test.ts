import { describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { PublishThrottle } from './publish-throttle.ts';

describe('PublishThrottle', () => {
  it('publishes once per interval however often asked, and backs off after a slow publish', async () => {
    const starts: number[] = [];
    let slow = false;
    const throttle = new PublishThrottle(
      async () => {
        starts.push(Date.now());
        if (slow) await sleep(100);
      },
      20,
      () => undefined,
    );
    for (let i = 0; i < 50; i++) throttle.request();
    await sleep(30);
    expect(starts).toHaveLength(1);

    // A publish of 100 ms: the next one waits at least 4× that (publishing ≤ a fifth of the time).
    slow = true;
    throttle.request();
    for (let i = 0; i < 100 && starts.length < 2; i++) await sleep(10);
    await sleep(120);
    expect(starts).toHaveLength(2);
    slow = false;
    throttle.request();
    await sleep(300);
    expect(starts).toHaveLength(2);
    // (generous: timers only ever fire late on a loaded machine)
    for (let i = 0; i < 100 && starts.length < 3; i++) await sleep(20);
    expect(starts).toHaveLength(3);
    expect((starts[2] as number) - (starts[1] as number)).toBeGreaterThanOrEqual(480);
    throttle.cancel();
  });

  it('while behind, publishes at most once per behind interval; a request no longer behind brings the waiting publish forward', async () => {
    const starts: number[] = [];
    const throttle = new PublishThrottle(
      async () => void starts.push(Date.now()),
      20,
      () => undefined,
      Date.now,
      60_000,
    );
    // The first publish is not held back (nothing published yet), the next ones are.
    throttle.request(true);
    for (let i = 0; i < 100 && starts.length < 1; i++) await sleep(10);
    for (let i = 0; i < 20; i++) {
      throttle.request(true);
      await sleep(10);
    }
    expect(starts).toHaveLength(1);
    // Caught up: published after the normal interval, not the behind one.
    throttle.request(false);
    for (let i = 0; i < 500 && starts.length < 2; i++) await sleep(10);
    expect(starts).toHaveLength(2);
    throttle.request(true);
    await sleep(100);
    expect(starts).toHaveLength(2);
    throttle.cancel();
  });
});
