import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { systemEventSchema } from '@hangarstack/shared';
import { tempDir } from '@hangarstack/testing/temp-dir';
import { EmbeddedLog, type LogRecord } from '../embedded-log.ts';
import { SystemEvents, embeddedSystemEventWriter, type SystemEventWriter } from './emitter.ts';
import { runEventsCommand } from './cli.ts';

const log = pino({ level: 'silent' });

describe('SystemEvents', () => {
  it('writes schema-valid events to the embedded log, keyed by service, and `./hangar events` prints them', async () => {
    const path = join(tempDir('sysevents-'), 'events.db');
    const events = new SystemEvents({ service: 'consumer', topic: 'hangarstack.system.events', writer: embeddedSystemEventWriter(path), log });
    events.emit('started', { version: 'abc123', mode: 'embedded', config: { port: 8788 } });
    events.emitAs('rebuilder')('rebuild.failed', { durationMs: 1200, error: 'exit 1: astro build failed' });
    await events.close();

    const stored = EmbeddedLog.open(path);
    const records = stored.read('hangarstack.system.events', 0, 10);
    stored.close();
    expect(records.map((r) => r.key)).toEqual(['consumer', 'rebuilder']);
    expect(records.map((r) => systemEventSchema.parse(JSON.parse(r.value)).type)).toEqual(['started', 'rebuild.failed']);

    const lines: string[] = [];
    const code = await runEventsCommand(['--since', '1h'], { EMBEDDED_LOG_PATH: path }, (line) => lines.push(line));
    expect(code).toBe(0);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/rebuilder\s+ERROR rebuild\.failed\s+durationMs=1200 error="exit 1: astro build failed"/);
    const none: string[] = [];
    await runEventsCommand(['--since', new Date(Date.now() + 60_000).toISOString()], { EMBEDDED_LOG_PATH: path }, (line) => none.push(line));
    expect(none).toEqual([]);
  });

  it('`./hangar events` answers a mistyped option with its usage and exit 2, reading nothing', async () => {
    const errors: unknown[] = [];
    const error = vi.spyOn(console, 'error').mockImplementation((line: unknown) => void errors.push(line));
    try {
      const lines: string[] = [];
      expect(await runEventsCommand(['--sinse', '1h'], { EMBEDDED_LOG_PATH: join(tempDir('sysevents-'), 'none.db') }, (line) => lines.push(line))).toBe(2);
      expect(lines).toEqual([]);
      expect(String(errors[0])).toMatch(/Unknown option '--sinse'[\s\S]*\nusage: \.\/hangar events /);
    } finally {
      error.mockRestore();
    }
  });

  it('keeps events while the writer fails and delivers them in order once it recovers', async () => {
    const written: LogRecord[] = [];
    let failing = true;
    const writer: SystemEventWriter = {
      write: async (records) => {
        if (failing) throw new Error('broker down');
        written.push(...records);
      },
      close: async () => undefined,
    };
    const events = new SystemEvents({ service: 'collector', topic: 't', writer, log, retryMs: 10 });
    events.emit('kafka.lost', { error: 'connect ECONNREFUSED' });
    events.emit('spool.engaged', { depth: 3 });
    await events.flush();
    expect(written).toEqual([]);
    failing = false;
    await expect.poll(() => written.length).toBe(2);
    expect(written.map((r) => (JSON.parse(r.value) as { type: string }).type)).toEqual(['kafka.lost', 'spool.engaged']);
    await events.close();
  });

  it('refuses an event whose detail does not match its type (a bug, not an operator error)', () => {
    const events = new SystemEvents({ service: 'collector', topic: 't', writer: { write: async () => undefined, close: async () => undefined }, log });
    // @ts-expect-error: the wrong detail for the type is what this checks at run time
    expect(() => events.emit('spool.engaged', { error: 'x' })).toThrow();
  });
});
