import { describe, expect, it } from 'vitest';
import { looksLikePersonalData } from './personal-data.ts';

describe('looksLikePersonalData', () => {
  it.each([
    'jane.doe@example.com',
    'contact jane@example.org please',
    'j@x.co',
    '5551234567',
    'ticket 12345678',
    '4111 1111 1111 1111',
    '+44 20 7946 0958',
    '+1-555-123-4567',
    '(555) 123-4567',
    '555.123.4567',
    '020 7946 0958',
    'https://example.com/a',
    'http://x',
    'www.example',
    'example.com',
    'mysite.io/path',
  ])('hides %s', (query) => {
    expect(looksLikePersonalData(query)).toBe(true);
  });

  it.each([
    'concorde',
    'boeing 747-400',
    'f-16',
    'a320 a321 a330',
    '747-400 737-800',
    'b-52 stratofortress',
    'mig-21',
    'spitfire mk ix',
    'su-27 1985',
    'l-1011 tristar',
    'dc-10-30',
    'an-225 mriya',
  ])('keeps the aircraft search %s', (query) => {
    expect(looksLikePersonalData(query)).toBe(false);
  });

  it('stays fast on a hostile 100-character query (linear patterns)', () => {
    for (const query of ['@'.repeat(100), `a${'.'.repeat(99)}`, `+${'1 '.repeat(49)}`, `${'1-'.repeat(50)}`]) {
      expect(typeof looksLikePersonalData(query)).toBe('boolean');
    }
  });
});
