import { BEACON_LIMITS } from '@hangarstack/shared';
import { describe, expect, it } from 'vitest';
import { HOSTILE_KINDS, hostileRequest } from './hostile.ts';

const SLUG = 'boeing-747-400';
const corpus = Array.from({ length: 2_000 }, (_, i) => hostileRequest(i, SLUG));
const ofKind = (kind: string) => corpus.filter((r) => r.kind === kind);

describe('hostileRequest', () => {
  it('is deterministic, so a failing request can be replayed by its index', () => {
    expect(hostileRequest(1234, SLUG)).toEqual(hostileRequest(1234, SLUG));
  });

  it('cycles through every kind', () => {
    expect(new Set(corpus.slice(0, HOSTILE_KINDS.length).map((r) => r.kind))).toEqual(new Set(HOSTILE_KINDS));
  });

  it('makes oversize bodies larger than the collector accepts', () => {
    for (const r of ofKind('oversize')) expect(r.body?.length).toBeGreaterThan(BEACON_LIMITS.maxBodyBytes);
  });

  it('makes invalid-UTF-8 bodies that a strict decoder refuses', () => {
    for (const r of ofKind('invalid-utf8')) expect(() => new TextDecoder('utf-8', { fatal: true }).decode(r.body as Buffer)).toThrow();
  });

  it('makes malformed JSON that does not parse or is not an object', () => {
    for (const r of ofKind('malformed-json')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse((r.body as Buffer).toString('utf8'));
      } catch {
        continue;
      }
      expect(typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && 'events' in parsed).toBe(false);
    }
  });

  it('nests at least a thousand levels deep', () => {
    for (const r of ofKind('deep-nesting')) expect((r.body as Buffer).toString('utf8').match(/[[{]/g)?.length).toBeGreaterThanOrEqual(1_000);
  });

  it('carries prototype keys', () => {
    for (const r of ofKind('prototype-keys')) expect((r.body as Buffer).toString('utf8')).toMatch(/__proto__|constructor|prototype/);
  });

  it('uses methods other than POST or paths other than /v1/events for wrong-method', () => {
    for (const r of ofKind('wrong-method')) expect(r.method !== 'POST' || r.path !== '/v1/events').toBe(true);
    for (const r of ofKind('wrong-method')) if (r.method === 'GET' || r.method === 'HEAD') expect(r.body).toBeNull();
  });

  it('marks slow bodies', () => {
    expect(ofKind('slow-body').every((r) => r.slow === true)).toBe(true);
  });
});
