import { describe, expect, it } from 'vitest';
import { TOPICS } from '@hangarstack/shared';
import { loadCollectorConfig } from './config.ts';

describe('loadCollectorConfig', () => {
  it('defaults to the one-machine setup: embedded log, local CORS origins, default topics', () => {
    const config = loadCollectorConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8787,
      kafka: null,
      embeddedLogPath: '.data/events.db',
      spool: { dir: '.data/spool' },
      corsOrigins: ['http://localhost:4321', 'http://127.0.0.1:4321'],
      aircraftDataDir: 'data/aircraft',
      siteId: 'hangarstack',
      saltDir: '.data/salts',
      topics: { views: TOPICS.views, searches: TOPICS.searches, systemEvents: TOPICS.systemEvents, dataUpdates: TOPICS.dataUpdates, activity: TOPICS.activity },
      client: { trustedProxies: [], clientIpHeader: null },
    });
  });

  it('reads trusted proxies (CIDRs and keywords) and a CDN client-IP header', () => {
    const config = loadCollectorConfig({ TRUSTED_PROXIES: 'loopback, private,203.0.113.0/24,2001:db8::/32', CLIENT_IP_HEADER: 'CF-Connecting-IP' });
    expect(config.client).toEqual({ trustedProxies: ['loopback', 'private', '203.0.113.0/24', '2001:db8::/32'], clientIpHeader: 'cf-connecting-ip' });
  });

  it('reads Kafka, topics and a comma list of origins', () => {
    const config = loadCollectorConfig({
      KAFKA_BROKERS: '127.0.0.1:9092',
      KAFKA_TOPIC_VIEWS: 'v',
      KAFKA_TOPIC_SEARCHES: 's',
      CORS_ORIGINS: 'https://a.example, https://b.example,',
    });
    expect(config.kafka?.brokers).toEqual(['127.0.0.1:9092']);
    expect(config.topics).toEqual({ views: 'v', searches: 's', systemEvents: TOPICS.systemEvents, dataUpdates: TOPICS.dataUpdates, activity: TOPICS.activity });
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it('reads how many producers send side by side and their compression', () => {
    expect(loadCollectorConfig({}).producer).toEqual({ count: 1, compression: 'none' });
    expect(loadCollectorConfig({ KAFKA_PRODUCERS: '3', KAFKA_COMPRESSION: 'gzip' }).producer).toEqual({ count: 3, compression: 'gzip' });
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['SPOOL_MAX_BYTES', '-1'],
    ['RATE_LIMIT_PER_MINUTE', '0'],
    ['LOG_LEVEL', 'loud'],
    ['TRUSTED_PROXIES', 'everyone'],
    ['TRUSTED_PROXIES', '10.0.0.0/33'],
    ['CLIENT_IP_HEADER', 'X Real IP'],
    ['KAFKA_PRODUCERS', '0'],
    ['KAFKA_COMPRESSION', 'lz4'],
  ])('stops on a bad %s=%s with a message naming the variable', (name, value) => {
    expect(() => loadCollectorConfig({ [name]: value })).toThrow(name);
  });
});
