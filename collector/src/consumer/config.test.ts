import { describe, expect, it } from 'vitest';
import { ConfigError } from '@hangarstack/shared';
import { loadConsumerConfig } from './config.ts';

describe('loadConsumerConfig', () => {
  it('gives the group session the broker default minimum, 6 s, unless told', () => {
    expect(loadConsumerConfig({}).sessionTimeoutMs).toBe(6_000);
    expect(loadConsumerConfig({ CONSUMER_SESSION_TIMEOUT_MS: '15000' }).sessionTimeoutMs).toBe(15_000);
  });

  it('refuses a session the broker would refuse by default, naming the variable', () => {
    expect(() => loadConsumerConfig({ CONSUMER_SESSION_TIMEOUT_MS: '3000' })).toThrow(ConfigError);
    expect(() => loadConsumerConfig({ CONSUMER_SESSION_TIMEOUT_MS: '3000' })).toThrow(/CONSUMER_SESSION_TIMEOUT_MS.*6000/);
  });
});
