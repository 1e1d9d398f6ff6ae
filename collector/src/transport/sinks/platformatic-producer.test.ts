import { describe, expect, it } from 'vitest';
import { toPlatformaticOptions } from './platformatic-producer.ts';

describe('toPlatformaticOptions', () => {
  it('connects in plain text to the listed brokers when TLS is off', () => {
    expect(toPlatformaticOptions({ brokers: ['a:9092', 'b:9092'], clientId: 'hs', ssl: false })).toEqual({ clientId: 'hs', bootstrapBrokers: ['a:9092', 'b:9092'] });
  });

  it('always verifies certificates, with the configured CA', () => {
    expect(toPlatformaticOptions({ brokers: ['a:9093'], clientId: 'hs', ssl: { ca: 'PEM' } }).tls).toEqual({ rejectUnauthorized: true, ca: 'PEM' });
  });

  it.each([
    ['plain', 'PLAIN'],
    ['scram-sha-256', 'SCRAM-SHA-256'],
    ['scram-sha-512', 'SCRAM-SHA-512'],
  ] as const)('maps SASL %s to the wire name %s', (mechanism, wire) => {
    const options = toPlatformaticOptions({ brokers: ['a:9093'], clientId: 'hs', ssl: {}, sasl: { mechanism, username: 'key', password: 'secret' } });
    expect(options.sasl).toEqual({ mechanism: wire, username: 'key', password: 'secret' });
  });
});
