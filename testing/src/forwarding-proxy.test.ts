import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { startForwardingProxy } from './forwarding-proxy.ts';

describe('startForwardingProxy', () => {
  const seen: (string | undefined)[] = [];
  const origin = createServer((req, res) => {
    seen.push(req.headers['x-forwarded-for'] as string | undefined);
    req.resume();
    req.once('end', () => res.end(`${req.method} ${req.url}`));
  });
  afterAll(() => new Promise<void>((done) => origin.close(() => done())));

  it('forwards absolute-form requests and appends the visitor address to X-Forwarded-For', async () => {
    await new Promise<void>((ready) => origin.listen(0, '127.0.0.1', ready));
    const target = `http://127.0.0.1:${(origin.address() as AddressInfo).port}/v1/events?x=1`;
    const proxy = await startForwardingProxy('198.51.100.23');
    try {
      const answer = (headers: Record<string, string>) =>
        new Promise<string>((resolve, reject) => {
          const proxyUrl = new URL(proxy.url);
          const r = request({ host: proxyUrl.hostname, port: proxyUrl.port, method: 'POST', path: target, headers }, (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.once('end', () => resolve(body));
          });
          r.once('error', reject);
          r.end('{}');
        });
      expect(await answer({})).toBe('POST /v1/events?x=1');
      expect(await answer({ 'x-forwarded-for': '6.6.6.6' })).toBe('POST /v1/events?x=1');
      expect(seen).toEqual(['198.51.100.23', '6.6.6.6, 198.51.100.23']);
    } finally {
      await proxy.close();
    }
  });
});
