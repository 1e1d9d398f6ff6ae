import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestTopic, testKafkaBrokers, withoutBroker } from '@hangarstack/testing/kafka';
import { REPO_DIR, SITE_DIR, tempDir } from './harness.ts';

/**
 * `build-and-swap rollback` reports `rebuild.rolled-back` where the services report theirs, and
 * `./hangar events` (its real CLI) shows it. The builds are minimal complete build dirs: what a
 * rollback looks at is which builds exist and where `current` points, not their pages.
 */
function liveWithTwoBuilds(): string {
  const live = tempDir('rollback');
  for (const name of ['2026-11-30T10-00-00-000Z', '2026-11-30T11-00-00-000Z']) {
    mkdirSync(join(live, 'builds', name, 'client'), { recursive: true });
    mkdirSync(join(live, 'builds', name, 'server'), { recursive: true });
    writeFileSync(join(live, 'builds', name, 'client', 'index.html'), '<!doctype html>');
    writeFileSync(join(live, 'builds', name, 'server', 'entry.mjs'), '');
  }
  symlinkSync('builds/2026-11-30T11-00-00-000Z', join(live, 'current'));
  return live;
}

/** The test's environment without a KAFKA_BROKERS of the run's own (it selects the mode under test). */
const baseEnv = (): NodeJS.ProcessEnv => Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'KAFKA_BROKERS'));

function rollback(env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [join(SITE_DIR, 'scripts', 'build-and-swap.ts'), 'rollback'], { cwd: REPO_DIR, env: { ...baseEnv(), ...env }, encoding: 'utf8', timeout: 60_000 });
}

function hangarEvents(env: Record<string, string>): string {
  return execFileSync(process.execPath, ['collector/src/transport/system-events/cli.ts', '--since', '10m'], { cwd: REPO_DIR, env: { ...baseEnv(), ...env }, encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
}

const ROLLED_BACK = /rebuilder\s+WARN\s+rebuild\.rolled-back\s+to="builds\/2026-11-30T10-00-00-000Z"/;

describe('rollback as a system event', { timeout: 90_000 }, () => {
  it('goes to the embedded log of a local stack, and `./hangar events` shows it', () => {
    const live = liveWithTwoBuilds();
    const log = join(tempDir('rollback-log'), 'events.db');
    writeFileSync(log, ''); // a running embedded stack has created its log
    const result = rollback({ HANGAR_LIVE_DIR: live, EMBEDDED_LOG_PATH: log });
    expect(result.status, result.stderr).toBe(0);
    expect(readlinkSync(join(live, 'current'))).toBe('builds/2026-11-30T10-00-00-000Z');
    expect(result.stdout).toContain('reported rebuild.rolled-back');
    expect(hangarEvents({ EMBEDDED_LOG_PATH: log })).toMatch(ROLLED_BACK);
  });

  it('still rolls back where no stack ever ran, says it could not report, and creates no log', () => {
    const live = liveWithTwoBuilds();
    const log = join(tempDir('rollback-nolog'), 'events.db');
    const result = rollback({ HANGAR_LIVE_DIR: live, EMBEDDED_LOG_PATH: log });
    expect(result.status, result.stderr).toBe(0);
    expect(readlinkSync(join(live, 'current'))).toBe('builds/2026-11-30T10-00-00-000Z');
    expect(result.stderr).toContain('rebuild.rolled-back (to builds/2026-11-30T10-00-00-000Z) was not reported');
    expect(existsSync(log)).toBe(false);
  });

  const brokers = testKafkaBrokers() ?? '';
  it.skipIf(withoutBroker())('goes to Kafka when KAFKA_BROKERS is set, and `./hangar events` shows it from there', async () => {
    const live = liveWithTwoBuilds();
    const kafka = { KAFKA_BROKERS: brokers, KAFKA_TOPIC_SYSTEM_EVENTS: `it.rollback-events.${Date.now()}-${process.pid}` };
    await createTestTopic(brokers, kafka.KAFKA_TOPIC_SYSTEM_EVENTS);
    const result = rollback({ HANGAR_LIVE_DIR: live, ...kafka });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`reported rebuild.rolled-back (to builds/2026-11-30T10-00-00-000Z) to Kafka ${brokers}`);
    expect(hangarEvents(kafka)).toMatch(ROLLED_BACK);
  });
});
