import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BROWSER_UA } from '@hangarstack/testing/user-agents';
import { collectorEntry } from '@hangarstack/collector/entries';
import { startServiceProcess, type ServiceProcess } from './service-process.ts';

export type CollectorProcess = ServiceProcess;

/**
 * Runs `node collector/src/ingest/main.ts` as a real process (on `port`, or a free one), with its
 * own state dirs and a rate limit no test or bench load from one address reaches; `env` overrides
 * any of it. The one collector starter: integration tests, the site's browser tests and the bench
 * (which may pass another checkout's `entry` to measure before against after). Its own state dir
 * (spool, salts, embedded log unless `env` names others) is removed once the process has exited.
 */
export async function startCollectorProcess(env: Record<string, string>, port?: number, entry = collectorEntry): Promise<CollectorProcess> {
  const state = mkdtempSync(join(tmpdir(), 'collector-'));
  const removeState = (): void => rmSync(state, { recursive: true, force: true, maxRetries: 3 });
  const collector = await startServiceProcess({
    name: 'collector',
    entry,
    portVariable: 'PORT',
    port,
    env: {
      SPOOL_DIR: join(state, 'spool'),
      SALT_DIR: join(state, 'salts'),
      EMBEDDED_LOG_PATH: join(state, 'events.db'),
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '100000',
      RATE_LIMIT_BURST: '100000',
      ...env,
    },
    out: (line) => {
      if (process.env.DEBUG_COLLECTOR) console.log(line);
    },
  }).catch((error: unknown) => {
    // It did not start: the starter has already stopped it.
    removeState();
    throw error;
  });
  // Nothing else knows the dir: it goes with the process (stopped, killed or crashed), never before.
  void collector.exited.then(removeState);
  return collector;
}

let nextId = 0;
export function viewBeacon(aircraft: string, count: number): { ids: string[]; body: string } {
  const events = Array.from({ length: count }, () => ({ type: 'view', id: `it-${process.pid}-${Date.now().toString(36)}-${(nextId++).toString(36).padStart(6, '0')}`, ts: Date.now(), aircraft }));
  return { ids: events.map((e) => e.id), body: JSON.stringify({ v: 1, events }) };
}

export async function postBeacon(url: string, body: string): Promise<Response> {
  return fetch(`${url}/v1/events`, { method: 'POST', headers: { 'content-type': 'text/plain', 'user-agent': BROWSER_UA }, body });
}
