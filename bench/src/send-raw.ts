/**
 * Sends arbitrary requests with node:http (fetch refuses bodies on GET and rewrites some
 * headers), optionally trickling the body in slow pieces, and reports only the status.
 */
import { Agent, request } from 'node:http';
import type { HostileRequest } from './hostile.ts';
import { BROWSER_UA } from '@hangarstack/testing/user-agents';

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** The status code, or 'error' when the connection failed or timed out. */
export function sendRaw(base: string, req: HostileRequest, slowPauseMs = 300): Promise<number | 'error'> {
  return new Promise((resolveStatus) => {
    const url = new URL(base);
    const headers: Record<string, string | number> = { ...req.headers, 'user-agent': BROWSER_UA };
    if (req.body && !req.slow) headers['content-length'] = req.body.length;
    const r = request(
      { host: url.hostname, port: url.port, method: req.method, path: req.path, headers, agent: req.slow ? false : agent, timeout: 30_000 },
      (res) => {
        res.resume();
        res.once('end', () => resolveStatus(res.statusCode ?? 0));
        res.once('error', () => resolveStatus('error'));
      },
    );
    r.once('error', () => resolveStatus('error'));
    r.once('timeout', () => r.destroy(new Error('timeout')));
    if (!req.body) {
      r.end();
      return;
    }
    if (!req.slow) {
      r.end(req.body);
      return;
    }
    // Slow body: chunked, five pieces with pauses, like a client on a bad link.
    const body = req.body;
    const step = Math.ceil(body.length / 5);
    let offset = 0;
    const writeNext = () => {
      if (r.destroyed) return;
      if (offset >= body.length) {
        r.end();
        return;
      }
      r.write(body.subarray(offset, offset + step));
      offset += step;
      setTimeout(writeNext, slowPauseMs);
    };
    writeNext();
  });
}

/** Runs `task` over 0..count-1 with at most `concurrency` in flight. */
export async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
