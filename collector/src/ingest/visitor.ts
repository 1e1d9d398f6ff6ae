import { createHash } from 'node:crypto';
import type { DeviceClass } from '@hangarstack/shared';
import type { ClientNetwork } from './client-address.ts';

/**
 * A user agent longer than this is cut before anything reads it (bot filter, hashes, device
 * class): real ones are under 300 characters, and every parser's cost then has a fixed bound.
 */
export const MAX_USER_AGENT_LENGTH = 512;

export function boundedUserAgent(header: string | undefined): string {
  return (header ?? '').slice(0, MAX_USER_AGENT_LENGTH);
}

const hash128 = (...parts: (Buffer | string)[]): string => {
  const h = createHash('sha256');
  parts.forEach((part, i) => {
    if (i > 0) h.update('\0');
    h.update(part);
  });
  return h.digest('hex').slice(0, 32);
};

/** 128 bits of SHA-256(salt, client network, user agent, site): a visitor id for today only. */
export function visitorId(salt: Buffer, network: ClientNetwork, userAgent: string, site: string): string {
  return hash128(salt, network, userAgent, site);
}

/**
 * 128 bits of SHA-256(salt, "origin", client network, site): who sent it, whatever user agent it
 * claims. The consumer caps visitors per origin, so user agents cannot be bought by the thousand.
 */
export function originId(salt: Buffer, network: ClientNetwork, site: string): string {
  return hash128(salt, 'origin', network, site);
}

/**
 * A coarse device class from the (bounded) user agent; the user agent itself is never kept.
 * Each test is one literal alternation, linear in the input: no look-ahead over the rest of the
 * string (`Android(?!.*Mobile)` rescanned the tail for every "Android" in it).
 */
export function deviceClass(userAgent: string): DeviceClass {
  const android = /Android/i.test(userAgent);
  const mobile = /Mobile/i.test(userAgent);
  if (/iPad|Tablet|PlayBook|Silk/i.test(userAgent) || (android && !mobile)) return 'tablet';
  if (/Mobi|iPhone|iPod|Android|Windows Phone/i.test(userAgent)) return 'mobile';
  if (/Windows NT|Macintosh|X11|CrOS|Linux/i.test(userAgent)) return 'desktop';
  return 'other';
}
