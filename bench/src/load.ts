/**
 * A closed-loop load generator that remembers what was acknowledged: `concurrency` workers post
 * beacons until stopped, and every 2xx adds the beacon's ids to `acked`. Correctness drills need
 * that per-request bookkeeping; raw throughput is measured with autocannon instead.
 */
import type { Beacon } from '@hangarstack/shared';
import { BROWSER_UA } from '@hangarstack/testing/user-agents';

export interface LoadResult {
  /** Event ids the collector acknowledged with a 2xx. */
  acked: Set<string>;
  /** Responses by status code; `error` counts connection failures (no answer at all). */
  statuses: Record<string, number>;
  requests: number;
}

export interface LoadRun {
  /** Stops the workers and resolves when every request in flight has settled. */
  stop(): Promise<LoadResult>;
  readonly result: LoadResult;
}

/** Starts posting to `url() + '/v1/events'`; `url` is read per request so a restarted collector is found. */
export function startLoad(options: {
  url: () => string;
  makeBeacon: () => { beacon: Beacon; ids: string[] };
  concurrency: number;
  /** Pause between requests of one worker, to hold a rate rather than saturate. */
  pauseMs?: number;
}): LoadRun {
  const result: LoadResult = { acked: new Set(), statuses: {}, requests: 0 };
  let running = true;
  const count = (key: string) => {
    result.statuses[key] = (result.statuses[key] ?? 0) + 1;
  };
  const worker = async () => {
    while (running) {
      const { beacon, ids } = options.makeBeacon();
      result.requests++;
      try {
        const res = await fetch(`${options.url()}/v1/events`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain', 'user-agent': BROWSER_UA },
          body: JSON.stringify(beacon),
          signal: AbortSignal.timeout(30_000),
        });
        await res.arrayBuffer();
        count(String(res.status));
        if (res.ok) for (const id of ids) result.acked.add(id);
      } catch {
        count('error');
        await new Promise((r) => setTimeout(r, 50));
      }
      if (options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
    }
  };
  const workers = Array.from({ length: options.concurrency }, worker);
  return {
    result,
    stop: async () => {
      running = false;
      await Promise.all(workers);
      return result;
    },
  };
}
