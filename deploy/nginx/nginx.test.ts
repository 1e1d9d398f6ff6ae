import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../tools/run.ts';
import { freePort } from '@hangarstack/testing/free-port';
import { tempDir } from '@hangarstack/testing/temp-dir';

/** A prefix dir holding our config with the port and roots pointed at temp dirs. */
function prepare(port: number) {
  const prefix = tempDir('nginx-');
  const site = join(prefix, 'site');
  const popularity = join(prefix, 'popularity');
  mkdirSync(join(prefix, 'conf'));
  mkdirSync(join(site, '_astro'), { recursive: true });
  mkdirSync(popularity);
  const conf = readFileSync('deploy/nginx/nginx.conf', 'utf8')
    .replace('listen 8080;', `listen 127.0.0.1:${port};`)
    .replace('pid /tmp/nginx.pid;', `pid ${join(prefix, 'nginx.pid')};`)
    .replaceAll('/srv/site', site)
    .replaceAll('/srv/popularity', popularity);
  writeFileSync(join(prefix, 'conf', 'nginx.conf'), conf);
  copyFileSync('deploy/nginx/security-headers.conf', join(prefix, 'conf', 'security-headers.conf'));
  copyFileSync('/etc/nginx/mime.types', join(prefix, 'conf', 'mime.types'));
  writeFileSync(join(site, 'index.html'), `<!doctype html><title>HangarStack</title>${'<p>aircraft</p>'.repeat(100)}`);
  writeFileSync(join(site, '_astro', 'app.abc123.js'), `console.log(${JSON.stringify('x'.repeat(2000))});`);
  writeFileSync(join(site, 'popularity.json'), '{"baked":true}');
  writeFileSync(join(popularity, 'popularity.json'), '{"fresh":true}');
  return { prefix, conf: join(prefix, 'conf', 'nginx.conf') };
}

describe('nginx (CDN stand-in) config', () => {
  it('nginx -t accepts the config as shipped', () => {
    const prefix = tempDir('nginx-t-');
    mkdirSync(join(prefix, 'conf'));
    for (const f of ['nginx.conf', 'security-headers.conf']) copyFileSync(`deploy/nginx/${f}`, join(prefix, 'conf', f));
    copyFileSync('/etc/nginx/mime.types', join(prefix, 'conf', 'mime.types'));
    const result = run('nginx', ['-t', '-p', prefix, '-c', join(prefix, 'conf', 'nginx.conf'), '-e', 'stderr']);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('test is successful');
  });

  describe('served for real', () => {
    let base = '';
    let stop = async () => undefined as unknown;
    beforeAll(async () => {
      const port = await freePort();
      const { prefix, conf } = prepare(port);
      const child = spawn('nginx', ['-p', prefix, '-c', conf, '-e', 'stderr', '-g', 'daemon off; master_process off;'], { stdio: 'inherit' });
      stop = async () => {
        child.kill('SIGTERM');
        await new Promise((done) => child.once('exit', done));
      };
      base = `http://127.0.0.1:${port}`;
      for (let i = 0; i < 100; i++) {
        if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) return;
        await sleep(100);
      }
      throw new Error('nginx did not answer /healthz within 10 s');
    });
    afterAll(() => stop());

    it('hashed assets are immutable and gzip-compressed, with security headers', async () => {
      const res = await fetch(`${base}/_astro/app.abc123.js`, { headers: { 'accept-encoding': 'gzip' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('content-encoding')).toBe('gzip');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    });

    it('HTML revalidates and carries the security headers', async () => {
      const res = await fetch(`${base}/`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(res.headers.get('set-cookie')).toBeNull();
    });

    it('/popularity.json comes fresh from the consumer volume and revalidates', async () => {
      const res = await fetch(`${base}/popularity.json`);
      expect(await res.json()).toEqual({ fresh: true });
      expect(res.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    });
  });
});
