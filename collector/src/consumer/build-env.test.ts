import { describe, expect, it } from 'vitest';
import { buildEnvironment } from './build-env.ts';

describe('buildEnvironment', () => {
  const consumerEnv = {
    PATH: '/usr/bin',
    HOME: '/home/hangar',
    HANGAR_DATA_DIR: '/data',
    HANGAR_LIVE_DIR: '/live',
    PUBLIC_COLLECTOR_URL: 'https://c.example',
    SITE_URL: 'https://hangar.example',
    ASTRO_CACHE_DIR: '/cache',
    KAFKA_BROKERS: 'b:9092',
    KAFKA_SASL_USERNAME: 'user',
    KAFKA_SASL_PASSWORD: 'hunter2',
    REBUILD_HOOK_TOKEN: 'ghp_secret',
    REBUILD_HOOK_URL: 'https://api.netlify.com/build_hooks/secret-id',
    AWS_SECRET_ACCESS_KEY: 'x',
    SITE_DEPLOY_TOKEN: 'y',
    UNRELATED: 'z',
  };

  it('keeps what a shell, Node and the site build need', () => {
    expect(buildEnvironment(consumerEnv)).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/hangar',
      HANGAR_DATA_DIR: '/data',
      HANGAR_LIVE_DIR: '/live',
      PUBLIC_COLLECTOR_URL: 'https://c.example',
      SITE_URL: 'https://hangar.example',
      ASTRO_CACHE_DIR: '/cache',
    });
  });

  it('never passes the Kafka password, the hook token or URL, or anything named like a secret', () => {
    const passed = JSON.stringify(buildEnvironment(consumerEnv));
    for (const secret of ['hunter2', 'ghp_secret', 'secret-id', 'AWS_SECRET', 'SITE_DEPLOY_TOKEN', 'KAFKA_']) expect(passed).not.toContain(secret);
  });
});
