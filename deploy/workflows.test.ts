import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { tempDir } from '@hangarstack/testing/temp-dir';
import { ensureGoTool } from './tools/go-tools.ts';
import { run } from './tools/run.ts';

// actionlint is built from the Go module proxy on first use (about 75 s cold, cached after).
let actionlint = '';
beforeAll(() => {
  actionlint = ensureGoTool('actionlint');
}, 900_000);

const workflows = readdirSync('.github/workflows').filter((f) => f.endsWith('.yml')).map((f) => join('.github/workflows', f));
const load = (name: string) => parse(readFileSync(`.github/workflows/${name}`, 'utf8')) as Record<string, unknown> & {
  on: Record<string, unknown>;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<string, { steps: { run?: string; uses?: string }[] }>;
};

describe('GitHub workflows (actionlint)', () => {
  it('are actionlint clean', () => {
    const result = run(actionlint, ['-color=false', ...workflows]);
    expect(result.status, result.output).toBe(0);
    expect(workflows.length).toBeGreaterThanOrEqual(2);
  });

  it('actionlint catches a context used where GitHub does not allow it', () => {
    const dir = tempDir('actionlint-');
    mkdirSync(join(dir, '.github/workflows'), { recursive: true });
    const bad = readFileSync('.github/workflows/rebuild.yml', 'utf8').replace('${{ github.workspace }}/.data/popularity.json', '${{ runner.temp }}/popularity.json');
    writeFileSync(join(dir, '.github/workflows/bad.yml'), bad);
    const result = run(actionlint, ['-color=false', '.github/workflows/bad.yml'], dir);
    expect(result.status).toBe(1);
    expect(result.output).toContain('context "runner" is not allowed here');
  });

  it('ci runs the test command on push and pull requests', () => {
    const ci = load('ci.yml');
    expect(Object.keys(ci.on)).toEqual(expect.arrayContaining(['push', 'pull_request']));
    expect(Object.values(ci.jobs).flatMap((j) => j.steps.map((s) => s.run ?? ''))).toContain('./hangar test');
  });

  it('ci publishes data updates after the suite passes on main, to the cluster in secrets', () => {
    const ci = parse(readFileSync('.github/workflows/ci.yml', 'utf8')) as { jobs: Record<string, { needs?: string; if?: string; steps: { run?: string; env?: Record<string, string> }[] }> };
    const job = ci.jobs['publish-data'];
    expect(job?.needs).toBe('test');
    expect(job?.if).toContain("github.ref == 'refs/heads/main'");
    const publish = job?.steps.find((s) => s.run === './hangar data publish');
    expect(publish?.env?.KAFKA_BROKERS).toBe('${{ secrets.KAFKA_BROKERS }}');
    expect((JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts.data).toBe('node scripts/data/cli.ts');
  });

  it('rebuild runs on cron, on the consumer dispatch and by hand, and collapses storms without cancelling a running build', () => {
    const rebuild = load('rebuild.yml');
    expect(Object.keys(rebuild.on)).toEqual(expect.arrayContaining(['schedule', 'repository_dispatch', 'workflow_dispatch']));
    expect(rebuild.on.repository_dispatch).toEqual({ types: ['popularity-changed'] });
    // One group, no cancel-in-progress: a running build finishes; GitHub keeps only the newest pending run.
    expect(rebuild.concurrency).toEqual({ group: 'rebuild-site', 'cancel-in-progress': false });
    const consumer = readFileSync('deploy/k8s/consumer.yaml', 'utf8');
    expect(consumer).toContain('{"event_type":"popularity-changed"}');
    const scripts = Object.values(rebuild.jobs).flatMap((j) => j.steps.map((s) => s.run ?? '')).join('\n');
    expect(scripts).toContain('node site/scripts/build-and-swap.ts');
    // Only what changed: the deploy plan's staged uploads, deletions and invalidations, never a blanket sync or /*.
    expect(scripts).toContain('node site/scripts/deploy-plan.ts --previous "$previous" --build "$build" --out "$plan"');
    expect(scripts).toContain('"$plan/delete.txt"');
    expect(scripts).toContain('--paths "${paths[@]}"');
    expect(scripts).not.toContain('aws s3 sync');
    expect(scripts).not.toContain('--paths "/*"');
    expect(readFileSync('.github/workflows/rebuild.yml', 'utf8')).toMatch(/\$\{\{ secrets\.CDN_SECRET_ACCESS_KEY \}\}/);
  });

  it('rebuild starts from the last run\'s live dir, so a rebuild costs what changed, and keeps the new one for the next run', () => {
    type Step = { run?: string; uses?: string; with?: Record<string, string> };
    const rebuild = parse(readFileSync('.github/workflows/rebuild.yml', 'utf8')) as { jobs: Record<string, { env: Record<string, string>; steps: Step[] }> };
    const job = Object.values(rebuild.jobs)[0];
    if (!job) throw new Error('rebuild.yml has no job');
    const liveDir = job.env.HANGAR_LIVE_DIR?.replace('${{ github.workspace }}/', '');
    expect(liveDir).toBe('.data/live');
    const at = (match: (step: Step) => boolean): number => job.steps.findIndex(match);
    const build = at((step) => step.run === 'node site/scripts/build-and-swap.ts');
    const restore = at((step) => step.uses?.startsWith('actions/cache/restore@') === true);
    const save = at((step) => step.uses?.startsWith('actions/cache/save@') === true);
    expect(restore).toBeGreaterThanOrEqual(0);
    expect(restore).toBeLessThan(build);
    expect(save).toBeGreaterThan(build);
    // Not while old builds are still being deleted in the background (tar would see files vanish).
    const wait = at((step) => step.run?.includes('builds/.trash-*') === true);
    expect(wait).toBeGreaterThan(build);
    expect(wait).toBeLessThan(save);
    const restored = job.steps[restore]?.with;
    const saved = job.steps[save]?.with;
    expect(restored?.path).toBe(liveDir);
    expect(saved?.path).toBe(liveDir);
    // A new key per run (entries are immutable), restored by prefix: the newest live dir comes back.
    expect(saved?.key).toContain('${{ github.run_id }}');
    expect(restored?.key).toBe(saved?.key);
    expect(saved?.key?.startsWith(restored?.['restore-keys'] ?? '?')).toBe(true);
  });
});
