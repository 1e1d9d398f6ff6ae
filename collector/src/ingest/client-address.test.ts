import { describe, expect, it } from 'vitest';
import { compileTrust, createClientResolver, networkOf } from './client-address.ts';

const request = (peer: string | undefined, headers: Record<string, string> = {}) => ({ peer, header: (name: string) => headers[name] });

describe('createClientResolver', () => {
  it('trusts nothing by default: the socket peer is the client, whatever X-Forwarded-For says', () => {
    const resolve = createClientResolver({ trustedProxies: [], clientIpHeader: null });
    expect(resolve(request('203.0.113.7', { 'x-forwarded-for': '198.51.100.1' }))).toBe('203.0.113.7');
  });

  it('behind a trusted proxy takes the rightmost untrusted entry, never the spoofed left ones', () => {
    const resolve = createClientResolver({ trustedProxies: ['loopback'], clientIpHeader: null });
    expect(resolve(request('127.0.0.1', { 'x-forwarded-for': '6.6.6.6, 10.9.9.9, 198.51.100.7' }))).toBe('198.51.100.7');
    expect(resolve(request('127.0.0.1', { 'x-forwarded-for': '198.51.100.8' }))).toBe('198.51.100.8');
  });

  it('walks a chain of trusted proxies (CDN range, then the private network) to the first untrusted hop', () => {
    const resolve = createClientResolver({ trustedProxies: ['private', '203.0.113.0/24'], clientIpHeader: null });
    expect(resolve(request('10.0.0.5', { 'x-forwarded-for': '1.2.3.4, 198.51.100.9, 203.0.113.20' }))).toBe('198.51.100.9');
  });

  it('does not let a request from an untrusted peer choose its address', () => {
    const resolve = createClientResolver({ trustedProxies: ['private'], clientIpHeader: null });
    expect(resolve(request('198.51.100.50', { 'x-forwarded-for': '10.0.0.1' }))).toBe('198.51.100.50');
  });

  it('believes a CDN client-IP header only when every hop is a trusted proxy', () => {
    const resolve = createClientResolver({ trustedProxies: ['private', '203.0.113.0/24'], clientIpHeader: 'cf-connecting-ip' });
    // CDN edge → nginx (private) → us: both trusted, the header names the client.
    expect(resolve(request('10.0.0.5', { 'x-forwarded-for': '203.0.113.20', 'cf-connecting-ip': '198.51.100.30' }))).toBe('198.51.100.30');
    // A client that reaches nginx directly: its own address is untrusted, its header ignored.
    expect(resolve(request('10.0.0.5', { 'x-forwarded-for': '198.51.100.66', 'cf-connecting-ip': '1.1.1.1' }))).toBe('198.51.100.66');
    // A client talking to us directly.
    expect(resolve(request('198.51.100.67', { 'cf-connecting-ip': '1.1.1.1' }))).toBe('198.51.100.67');
    // Garbage in the header is ignored.
    expect(resolve(request('10.0.0.5', { 'x-forwarded-for': '203.0.113.20', 'cf-connecting-ip': 'not-an-ip' }))).toBe('203.0.113.20');
  });

  it('groups IPv6 clients by /64 and unwraps IPv4-mapped addresses', () => {
    const resolve = createClientResolver({ trustedProxies: ['loopback'], clientIpHeader: null });
    const a = resolve(request('::1', { 'x-forwarded-for': '2001:db8:1:2:aaaa::1' }));
    const b = resolve(request('::1', { 'x-forwarded-for': '2001:db8:1:2:ffff:1:2:3' }));
    const c = resolve(request('::1', { 'x-forwarded-for': '2001:db8:1:3::1' }));
    expect(a).toBe('2001:db8:1:2::/64');
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(resolve(request('::ffff:198.51.100.4'))).toBe('198.51.100.4');
  });

  it('has no address for a request without a socket', () => {
    expect(createClientResolver({ trustedProxies: [], clientIpHeader: null })(request(undefined))).toBe('unknown');
  });
});

describe('compileTrust', () => {
  it('expands the keywords and rejects what is not an address range, naming it', () => {
    const trust = compileTrust(['loopback', 'private']);
    expect(trust('127.0.0.1', 0)).toBe(true);
    expect(trust('172.20.1.1', 0)).toBe(true);
    expect(trust('8.8.8.8', 0)).toBe(false);
    expect(() => compileTrust(['everyone'])).toThrow('"everyone"');
  });
});

describe('networkOf', () => {
  it.each([
    ['198.51.100.4', '198.51.100.4'],
    ['2001:db8::1', '2001:db8::/64'],
    ['garbage', 'unknown'],
  ])('%s → %s', (address, network) => {
    expect(networkOf(address)).toBe(network);
  });
});
