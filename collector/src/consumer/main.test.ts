import { spawnSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@hangarstack/testing/temp-dir';
import { consumerEntry } from '../entries.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));

describe('the consumer entry (main.ts → main.mjs)', () => {
  it('is plain JavaScript behind its .ts name and turns the compile cache on before it imports the service', () => {
    expect(consumerEntry).toBe(join(HERE, 'main.ts'));
    expect(lstatSync(consumerEntry).isSymbolicLink()).toBe(true);
    expect(readlinkSync(consumerEntry)).toBe('main.mjs');
    const source = readFileSync(consumerEntry, 'utf8');
    expect(source).toContain("enableCompileCache(process.env.NODE_COMPILE_CACHE || fileURLToPath(new URL('../../node_modules/.cache/hangarstack-compile-cache', import.meta.url)))");
    expect(source.indexOf('enableCompileCache(')).toBeGreaterThan(0);
    expect(source.indexOf('enableCompileCache(')).toBeLessThan(source.indexOf("import('./service.ts')"));
  });

  it('fills a chosen NODE_COMPILE_CACHE with the modules the service loads, and still stops on a bad configuration', () => {
    const cache = join(tempDir('consumer-compile-cache-'), 'cache');
    const run = spawnSync(process.execPath, [consumerEntry], { env: { ...process.env, NODE_COMPILE_CACHE: cache, KAFKA_BROKERS: 'not a broker list' }, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('KAFKA_BROKERS');
    // The service's own modules and its dependencies (kafkajs, pino, hono, zod...): hundreds.
    expect(readdirSync(cache, { recursive: true }).length).toBeGreaterThan(100);
  });
});
