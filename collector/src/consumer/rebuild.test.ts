import { createServer, type Server } from 'node:net';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { emptyPopularity, shownSignature, type Popularity } from '@hangarstack/shared';
import { rebuildSocket, type RebuildAnswer, type WorkerRequest } from '@hangarstack/shared/rebuild-worker';
import { tempDir } from '@hangarstack/testing/temp-dir';
import { createConsumerMetrics } from './metrics.ts';
import { RebuildTrigger, commandHook, httpHook, type RebuildHook } from './rebuild.ts';

const base: Popularity = emptyPopularity(5);

/** A snapshot where `slugs` are ranked in order with the given weekly visitors. */
function withVisitors(entries: [string, number][]): Popularity {
  const aircraft = Object.fromEntries(
    entries.map(([slug, visitors], i) => [slug, { views: { h24: visitors, d7: visitors, d30: visitors }, visitors: { h24: visitors, d7: visitors, d30: visitors }, trending: 0, rank: i + 1 }]),
  );
  return { ...base, aircraft, popular: entries.map(([slug]) => slug) };
}

class FakeHook implements RebuildHook {
  readonly describe = 'fake';
  runs = 0;
  result = true;
  contexts: (readonly string[])[] = [];
  async run(context?: { dataChanges: readonly string[] }): Promise<boolean> {
    this.runs += 1;
    this.contexts.push(context?.dataChanges ?? []);
    return this.result;
  }
}

/** No failure backoff here: the tests below that want one say so. */
const options = { debounceMs: 1_000, minIntervalMs: 10_000, maxStalenessMs: 30_000, failureBackoff: { baseMs: 0, maxMs: 0 } };
let hook: FakeHook;
let metrics: ReturnType<typeof createConsumerMetrics>;
const trigger = (built = shownSignature(base)) => new RebuildTrigger(hook, options, { metrics, log: pino({ level: 'silent' }), builtSignature: built });

beforeEach(() => {
  vi.useFakeTimers();
  hook = new FakeHook();
  metrics = createConsumerMetrics();
});
afterEach(() => vi.useRealTimers());

describe('RebuildTrigger', () => {
  it('rebuilds on data changes with the changed records, debounced together, and retries them after a failure', async () => {
    const t = trigger();
    t.dataChanged(['aircraft:concorde']);
    t.dataChanged(['manufacturer:boeing', 'aircraft:concorde']);
    await vi.advanceTimersByTimeAsync(999);
    expect(hook.runs).toBe(0);
    hook.result = false;
    await vi.advanceTimersByTimeAsync(1);
    expect(hook.contexts).toEqual([['aircraft:concorde', 'manufacturer:boeing']]);
    hook.result = true;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(hook.contexts).toEqual([['aircraft:concorde', 'manufacturer:boeing'], ['aircraft:concorde', 'manufacturer:boeing']]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(hook.runs).toBe(2);
  });

  it('does not fire when nothing shown changes (same order, same count bucket)', async () => {
    const t = trigger(shownSignature(withVisitors([['a', 11], ['b', 10]])));
    t.observe(withVisitors([['a', 12], ['b', 13]])); // 11→12, 10→13: still the "10+" bucket, same order
    await vi.advanceTimersByTimeAsync(60_000);
    expect(hook.runs).toBe(0);
  });

  it('fires once, debounced, for a burst of changes', async () => {
    const t = trigger();
    t.observe(withVisitors([['a', 1]]));
    await vi.advanceTimersByTimeAsync(500);
    t.observe(withVisitors([['a', 5]]));
    await vi.advanceTimersByTimeAsync(500);
    t.observe(withVisitors([['b', 5], ['a', 1]]));
    expect(hook.runs).toBe(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(hook.runs).toBe(1);
    expect((await metrics.rebuildsSucceeded.get()).values[0]?.value).toBe(1);
  });

  it('keeps a minimum interval between builds', async () => {
    const t = trigger();
    t.observe(withVisitors([['a', 1]]));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(hook.runs).toBe(1);
    t.observe(withVisitors([['a', 5]]));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(hook.runs).toBe(1);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(hook.runs).toBe(2);
  });

  it('waits after a build at least as long as that build took, even past the minimum interval', async () => {
    const slow = new FakeHook();
    slow.run = async () => {
      slow.runs += 1;
      await new Promise((done) => setTimeout(done, 20_000)); // a 20 s build, twice the 10 s interval
      return true;
    };
    const t = new RebuildTrigger(slow, options, { metrics, log: pino({ level: 'silent' }), builtSignature: shownSignature(base) });
    t.observe(withVisitors([['a', 1]]));
    await vi.advanceTimersByTimeAsync(1_000); // debounce: build 1 starts at 1 s, ends at 21 s
    expect(slow.runs).toBe(1);
    t.observe(withVisitors([['a', 5]])); // changed during the build
    await vi.advanceTimersByTimeAsync(20_000 + 19_000); // 40 s: 19 s after it ended, still resting
    expect(slow.runs).toBe(1);
    await vi.advanceTimersByTimeAsync(1_500); // 41.5 s: 20 s after the end
    expect(slow.runs).toBe(2);
  });

  it('reports a pending rebuild from the first unbuilt change until the build that shows it, through the rest after a build', async () => {
    const pending = async () => (await metrics.rebuildPending.get()).values[0]?.value;
    const slow = new FakeHook();
    slow.run = async () => {
      slow.runs += 1;
      await new Promise((done) => setTimeout(done, 5_000));
      return true;
    };
    const t = new RebuildTrigger(slow, options, { metrics, log: pino({ level: 'silent' }), builtSignature: shownSignature(base) });
    expect(await pending()).toBe(0);
    t.observe(withVisitors([['a', 1]]));
    expect(await pending()).toBe(1); // debouncing
    await vi.advanceTimersByTimeAsync(1_000);
    expect(slow.runs).toBe(1);
    t.observe(withVisitors([['a', 5]])); // changed during the build
    await vi.advanceTimersByTimeAsync(5_000); // build 1 done at 6 s; build 2 waits for the 10 s interval
    expect(slow.runs).toBe(1);
    expect(await pending()).toBe(1); // nothing running, but the site is still behind
    await vi.advanceTimersByTimeAsync(10_000); // build 2 runs 11 s – 16 s
    expect(slow.runs).toBe(2);
    expect(await pending()).toBe(0);
    t.observe(withVisitors([['a', 5]])); // what is live: nothing pending
    expect(await pending()).toBe(0);
  });

  it('does not rebuild for views alone: one client sending views changes nothing shown', async () => {
    const t = trigger(shownSignature(withVisitors([['a', 3], ['b', 2]])));
    const flooded = withVisitors([['a', 3], ['b', 2]]);
    const b = flooded.aircraft.b;
    if (b) b.views = { h24: 100_000, d7: 100_000, d30: 100_000 };
    t.observe(flooded);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(hook.runs).toBe(0);
  });

  it('builds by the maximum staleness (not later) even while changes keep coming', async () => {
    const t = trigger();
    let i = 0;
    const change = () => {
      i += 1;
      t.observe(withVisitors([[i % 2 ? 'a' : 'b', 1], [i % 2 ? 'b' : 'a', i]]));
    };
    change(); // the first unbuilt change: the staleness clock starts here
    let elapsed = 0;
    while (elapsed + 900 < options.maxStalenessMs) {
      await vi.advanceTimersByTimeAsync(900); // always inside the debounce window
      elapsed += 900;
      change();
    }
    expect(hook.runs).toBe(0); // the debounce alone would never fire
    await vi.advanceTimersByTimeAsync(options.maxStalenessMs - elapsed);
    expect(hook.runs).toBe(1);
  });

  it('counts a failed build and retries the change later', async () => {
    hook.result = false;
    const t = trigger();
    t.observe(withVisitors([['a', 1]]));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(hook.runs).toBe(1);
    expect((await metrics.rebuildsFailed.get()).values[0]?.value).toBe(1);
    hook.result = true;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(hook.runs).toBe(2);
    t.observe(withVisitors([['a', 1]]));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(hook.runs).toBe(2);
  });
});

describe('RebuildTrigger after failed builds', () => {
  const backoffOptions = { debounceMs: 1_000, minIntervalMs: 0, maxStalenessMs: 5_000, failureBackoff: { baseMs: 10_000, maxMs: 40_000 } };
  const backoffSeconds = async () => (await metrics.rebuildBackoff.get()).values[0]?.value;
  /** `random` 1: every wait at its ceiling, so the schedule is exact. */
  const backingOff = (random = () => 1) => new RebuildTrigger(hook, backoffOptions, { metrics, log: pino({ level: 'silent' }), builtSignature: shownSignature(base), random });

  it('waits longer after each failure in a row (doubling to the cap, also past the staleness limit), and a success resets it', async () => {
    hook.result = false;
    const t = backingOff();
    t.observe(withVisitors([['a', 1]]));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(hook.runs).toBe(1);
    expect(await backoffSeconds()).toBe(10);
    for (const [wait, gauge] of [[10_000, 20], [20_000, 40], [40_000, 40], [40_000, 40]] as const) {
      const runs = hook.runs;
      await vi.advanceTimersByTimeAsync(wait - 1);
      expect(hook.runs, `no build before ${wait} ms`).toBe(runs);
      await vi.advanceTimersByTimeAsync(1);
      expect(hook.runs, `a build at ${wait} ms`).toBe(runs + 1);
      expect(await backoffSeconds()).toBe(gauge);
    }
    hook.result = true;
    await vi.advanceTimersByTimeAsync(40_000);
    expect(hook.runs).toBe(6);
    expect(await backoffSeconds()).toBe(0);
    // The next failure starts from the base again.
    hook.result = false;
    t.observe(withVisitors([['b', 1]]));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(hook.runs).toBe(7);
    expect(await backoffSeconds()).toBe(10);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(hook.runs).toBe(7);
    await t.stop();
  });

  it('jitters the wait between half of and the whole of its ceiling', async () => {
    hook.result = false;
    const t = backingOff(() => 0);
    t.observe(withVisitors([['a', 1]]));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await backoffSeconds()).toBe(5);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(hook.runs).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(hook.runs).toBe(2);
    expect(await backoffSeconds()).toBe(10); // ceiling 20 s, at its lower half
    await t.stop();
  });

  it('does not wait out the backoff for newly published data (it may be the fix), but does for a repeat of the same change', async () => {
    hook.result = false;
    const t = backingOff();
    t.dataChanged(['aircraft:broken']);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(hook.runs).toBe(1);
    t.dataChanged(['aircraft:broken']); // the same record again: still backing off
    await vi.advanceTimersByTimeAsync(5_000);
    expect(hook.runs).toBe(1);
    hook.result = true;
    t.dataChanged(['aircraft:fixed']);
    await vi.advanceTimersByTimeAsync(1_000); // the debounce only, not the 4 s left of the backoff
    expect(hook.contexts).toEqual([['aircraft:broken'], ['aircraft:broken', 'aircraft:fixed']]);
    expect(await backoffSeconds()).toBe(0);
  });
});

describe('FailureBackoff', () => {
  it('doubles from the base to the cap with equal jitter, survives very long failure runs, and resets', async () => {
    const { FailureBackoff } = await import('./rebuild-backoff.ts');
    let r = 0.5;
    const backoff = new FailureBackoff({ baseMs: 1_000, maxMs: 5_000 }, () => r);
    expect([backoff.failed(), backoff.failed(), backoff.failed(), backoff.failed()]).toEqual([750, 1_500, 3_000, 3_750]);
    for (let i = 0; i < 2_000; i++) backoff.failed(); // 2^2000 is Infinity: the cap holds
    r = 1;
    expect(backoff.failed()).toBe(5_000);
    expect(backoff.failures).toBe(2_005);
    backoff.succeeded();
    expect([backoff.failures, backoff.currentMs]).toEqual([0, 0]);
    expect(backoff.failed()).toBe(1_000);
    expect(new FailureBackoff({ baseMs: 0, maxMs: 0 }).failed()).toBe(0);
  });
});

describe('httpHook', () => {
  it('retries with backoff on 5xx and succeeds; gives up at once on 4xx', async () => {
    vi.useRealTimers();
    const { createServer } = await import('node:http');
    const statuses = [502, 503, 204];
    let calls = 0;
    let body = '';
    const server = createServer((req, res) => {
      calls += 1;
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => res.writeHead(statuses.shift() ?? 400).end());
    }).listen(0, '127.0.0.1');
    await new Promise((done) => server.once('listening', done));
    const address = server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/dispatches`;
    const hookOptions = { url, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"event_type":"popularity-changed"}', retries: 4, backoffMs: 10 };
    expect(await httpHook(hookOptions, pino({ level: 'silent' })).run()).toBe(true);
    expect(calls).toBe(3);
    expect(body).toContain('popularity-changed');
    expect(await httpHook(hookOptions, pino({ level: 'silent' })).run()).toBe(false);
    expect(calls).toBe(4);
    server.close();
  });
});

describe('hook secrets', () => {
  it('describes (logs, reports) an HTTP hook by its origin only: a deploy hook path is a secret', () => {
    const hook = httpHook({ url: 'https://api.netlify.com/build_hooks/5f3c0ffee?trigger=x', method: 'POST', headers: {}, body: undefined, retries: 0, backoffMs: 0 }, pino({ level: 'silent' }));
    expect(hook.describe).toBe('http: POST https://api.netlify.com');
  });

  it('runs a build command without the Kafka password or the hook token in its environment', async () => {
    vi.useRealTimers();
    const saved = { ...process.env };
    Object.assign(process.env, { KAFKA_SASL_PASSWORD: 'hunter2', REBUILD_HOOK_TOKEN: 'ghp_secret', HANGAR_DATA_DIR: '/data' });
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    try {
      expect(await commandHook('env', { POPULARITY_FILE: '/p.json' }, log).run()).toBe(true);
    } finally {
      process.env = saved;
    }
    const printed = lines.join('\n');
    expect(printed).toContain('POPULARITY_FILE=/p.json');
    expect(printed).toContain('HANGAR_DATA_DIR=/data');
    expect(printed).toContain('PATH=');
    expect(printed).not.toContain('hunter2');
    expect(printed).not.toContain('ghp_secret');
  });
});

describe('the site command hook and the render worker', () => {
  const live = tempDir('hangar-rebuild-hook-');
  const env = { POPULARITY_FILE: '/p.json', HANGAR_LIVE_DIR: live };
  let server: Server | undefined;
  const asked: WorkerRequest[] = [];
  /** A stand-in render worker on the live dir's socket, answering every request with `answer`. */
  async function worker(answer: RebuildAnswer): Promise<void> {
    server = createServer((conn) => {
      conn.setEncoding('utf8');
      conn.once('data', (line: string) => {
        asked.push(JSON.parse(line) as WorkerRequest);
        conn.end(`${JSON.stringify(answer)}\n`);
      });
    });
    await new Promise<void>((listening) => server?.listen(rebuildSocket(live), listening));
  }
  const logged = () => {
    const lines: string[] = [];
    return { lines, log: pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }) };
  };
  afterEach(async () => {
    asked.length = 0;
    await new Promise<void>((closed) => (server ? server.close(() => closed()) : closed()));
    server = undefined;
  });

  it('a popularity-only rebuild goes to the worker; the command does not run', async () => {
    vi.useRealTimers();
    await worker({ code: 0, stdout: '✓ site re-rendered 3 routes (popularity only)\n', stderr: '' });
    const { lines, log } = logged();
    expect(await commandHook('exit 7', env, log, { siteWorker: true }).run({ dataChanges: [] })).toBe(true);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ op: 'rebuild', cwd: process.cwd(), env: { POPULARITY_FILE: '/p.json', HANGAR_LIVE_DIR: live } });
    // Only the site's variables go to the worker.
    expect(Object.keys((asked[0] as { env: Record<string, string> }).env).filter((k) => k === 'PATH' || k === 'HOME')).toEqual([]);
    expect(lines.join('\n')).toContain('re-rendered 3 routes');
  });

  it('a failed worker rebuild fails the hook with its output as the reason', async () => {
    vi.useRealTimers();
    await worker({ code: 1, stdout: '', stderr: '✗ site build failed; the live site is unchanged.\n/aircraft/x/: 404\n' });
    const hook = commandHook('exit 0', env, logged().log, { siteWorker: true });
    expect(await hook.run({ dataChanges: [] })).toBe(false);
    expect(hook.lastFailure?.()).toContain('/aircraft/x/: 404');
  });

  it('the command runs when the worker hands the rebuild back, for data changes, without a worker, and for other commands', async () => {
    vi.useRealTimers();
    await worker({ fallback: 'not a popularity-only rebuild' });
    expect(await commandHook('exit 7', env, logged().log, { siteWorker: true }).run({ dataChanges: [] })).toBe(false);
    expect(asked).toHaveLength(1);
    expect(await commandHook('exit 7', env, logged().log, { siteWorker: true }).run({ dataChanges: ['aircraft:x'] })).toBe(false);
    expect(await commandHook('exit 7', env, logged().log).run({ dataChanges: [] })).toBe(false);
    expect(asked).toHaveLength(1);
    await new Promise<void>((closed) => server?.close(() => closed()));
    server = undefined;
    expect(await commandHook('exit 0', env, logged().log, { siteWorker: true }).run({ dataChanges: [] })).toBe(true);
  });
});
