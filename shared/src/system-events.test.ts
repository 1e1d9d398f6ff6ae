import { describe, expect, it } from 'vitest';
import { formatSystemEvent, summariseConfig, systemEventSchema, type SystemEvent } from './system-events.ts';

const base = { schema: 1, id: 'evt-0123456789abcdef', at: Date.UTC(2026, 10, 30, 9, 12, 3), service: 'consumer', instance: 'host-1:42' } as const;

describe('system events', () => {
  it('accepts each type only with its own detail', () => {
    expect(systemEventSchema.safeParse({ ...base, type: 'rebuild.failed', detail: { durationMs: 3200, error: 'exit 1' } }).success).toBe(true);
    expect(systemEventSchema.safeParse({ ...base, type: 'rebuild.failed', detail: { depth: 3 } }).success).toBe(false);
    expect(systemEventSchema.safeParse({ ...base, type: 'rebuild.exploded', detail: {} }).success).toBe(false);
    expect(systemEventSchema.safeParse({ ...base, service: 'browser', type: 'stopping', detail: { reason: 'SIGTERM' } }).success).toBe(false);
  });

  it('summarises a config flat, with every credential redacted', () => {
    const summary = summariseConfig({
      port: 8787,
      kafka: { brokers: ['a:9092', 'b:9092'], ssl: false, sasl: { mechanism: 'plain', username: 'key', password: 'hunter2' } },
      rebuild: { hook: { url: 'https://hooks.example/build_hooks/s3cr3t', token: 'ghp_secret', headers: { Authorization: 'Bearer x' } } },
      corsOrigins: ['http://localhost:4321'],
      spool: null,
    });
    expect(summary).toMatchObject({ port: 8787, 'kafka.brokers': 'a:9092,b:9092', 'kafka.ssl': false, 'rebuild.hook.url': 'https://hooks.example/…', corsOrigins: 'http://localhost:4321', spool: null });
    const printed = JSON.stringify(summary);
    for (const secret of ['hunter2', 'ghp_secret', 'Bearer x', 's3cr3t']) expect(printed).not.toContain(secret);
    expect(summary['kafka.sasl']).toBe('[redacted]');
    expect(summary['rebuild.hook.token']).toBe('[redacted]');
  });

  it('prints one readable line with time, service, level, type and detail', () => {
    const event: SystemEvent = { ...base, type: 'rebuild.failed', detail: { durationMs: 3200, error: 'astro build exited 1' } };
    expect(formatSystemEvent(event)).toBe('2026-11-30 09:12:03Z  consumer       ERROR rebuild.failed      durationMs=3200 error="astro build exited 1"  [host-1:42]');
  });
});
