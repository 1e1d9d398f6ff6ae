import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSite, FIXTURES, tempDir, testLiveDir } from '../test/harness.ts';

/**
 * The content layer synced without Astro's temporary Vite server (content-sync.ts) still refuses a
 * bad record, naming its file and field (build.test.ts builds the good fixtures through it).
 */
const data = join(tempDir('content-sync-data'), 'data');
const live = testLiveDir('content-sync');
afterAll(() => {
  rmSync(data, { recursive: true, force: true });
  rmSync(live, { recursive: true, force: true });
});

describe('a full build\'s content sync (content-sync.ts)', { timeout: 240_000 }, () => {
  it('fails the build on a record that breaks the schema, naming the file and the field', () => {
    cpSync(FIXTURES, data, { recursive: true });
    const name = readdirSync(join(data, 'aircraft')).filter((f) => f.endsWith('.json')).sort()[0] ?? '';
    const file = join(data, 'aircraft', name);
    writeFileSync(file, JSON.stringify({ ...(JSON.parse(readFileSync(file, 'utf8')) as object), slug: 'Not A Slug!' }));
    const result = buildSite({ HANGAR_DATA_DIR: data, POPULARITY_FILE: join(FIXTURES, 'popularity.json'), HANGAR_LIVE_DIR: live, ASTRO_CACHE_DIR: join(tempDir('content-sync-cache'), 'astro'), RENDER_WORKER_IDLE_MS: '0' }, ['--full']);
    expect(result.status, result.output).toBe(1);
    expect(result.output).toContain('does not match collection schema');
    expect(result.output).toContain(file);
    expect(result.output).toMatch(/\*\*slug\*\*: must be lower-case kebab-case/);
    expect(result.output).toContain('the live site is unchanged');
  });
});
