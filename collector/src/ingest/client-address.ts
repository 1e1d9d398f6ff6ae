import ipaddr from 'ipaddr.js';
import proxyaddr from 'proxy-addr';

/**
 * Who the client is, decided once per request and in this one place. Everything per client
 * (rate limit, origin hash, visitor hash) uses the network this returns.
 *
 * The address is the rightmost `X-Forwarded-For` entry that is not a trusted proxy, as
 * `proxy-addr` (the implementation behind Express's `trust proxy`) computes it: entries left of
 * the first untrusted hop are the client's own words and never believed. Nothing is trusted by
 * default, so a bare collector uses the socket address. A CDN client-IP header (`CF-Connecting-IP`)
 * is believed only when every hop up to us is a trusted proxy: the CDN's edge itself must be in
 * `trustedProxies`, so a client talking to the proxy directly cannot choose its address.
 */

/** Keywords `TRUSTED_PROXIES` accepts besides CIDRs and single addresses. */
export const TRUST_KEYWORDS: Readonly<Record<string, readonly string[]>> = {
  loopback: ['loopback'],
  /** RFC 1918 and IPv6 unique-local ranges (a compose or Kubernetes network). */
  private: ['uniquelocal'],
  linklocal: ['linklocal'],
};

export interface ClientAddressOptions {
  /** CIDRs, addresses and the keywords above; empty: trust nothing. */
  trustedProxies: readonly string[];
  /** Lower-case name of a CDN's client-IP header, or null. */
  clientIpHeader: string | null;
}

/** The client's network: an IPv4 address, or an IPv6 /64 (`2001:db8:1:2::/64`). Never stored. */
export type ClientNetwork = string;

export interface ClientRequest {
  /** The TCP peer (undefined in in-process tests without a socket). */
  peer: string | undefined;
  header(name: string): string | undefined;
}

/** Expands keywords; throws naming the entry when one is neither a keyword nor an address range. */
export function compileTrust(entries: readonly string[]): (address: string, hop: number) => boolean {
  const expanded = entries.flatMap((entry) => TRUST_KEYWORDS[entry] ?? [entry]);
  for (const entry of expanded) {
    try {
      proxyaddr.compile(entry);
    } catch {
      throw new Error(`"${entry}" is not an IP address, a CIDR range or one of ${Object.keys(TRUST_KEYWORDS).join(', ')}`);
    }
  }
  return proxyaddr.compile(expanded);
}

/**
 * @example
 * const resolve = createClientResolver({ trustedProxies: ['loopback'], clientIpHeader: null });
 * resolve({ peer: '127.0.0.1', header: (n) => (n === 'x-forwarded-for' ? '6.6.6.6, 198.51.100.7' : undefined) }); // '198.51.100.7'
 */
export function createClientResolver(options: ClientAddressOptions): (request: ClientRequest) => ClientNetwork {
  const trust = compileTrust(options.trustedProxies);
  return function resolveClient(request: ClientRequest): ClientNetwork {
    if (request.peer === undefined) return 'unknown';
    const forwardedFor = options.trustedProxies.length > 0 ? request.header('x-forwarded-for') : undefined;
    // proxy-addr reads a Node request; only these two fields of it.
    const req = { socket: { remoteAddress: request.peer }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } };
    const address = proxyaddr(req as unknown as Parameters<typeof proxyaddr>[0], trust);
    if (options.clientIpHeader !== null && allHopsTrusted(req, trust)) {
      const claimed = request.header(options.clientIpHeader)?.trim();
      if (claimed !== undefined && isPlainAddress(claimed)) return networkOf(claimed);
    }
    return networkOf(address);
  };
}

function allHopsTrusted(req: object, trust: (address: string, hop: number) => boolean): boolean {
  const hops = proxyaddr.all(req as Parameters<typeof proxyaddr.all>[0]);
  return hops.every((address, hop) => trust(address, hop));
}

function isPlainAddress(value: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(value) || ipaddr.IPv6.isValid(value);
}

/**
 * IPv4 as is (IPv4-mapped IPv6 unwrapped), IPv6 cut to its /64: one household or host gets one
 * /64, so counting per address would let it pick among 2^64 identities.
 */
export function networkOf(address: string): ClientNetwork {
  if (!ipaddr.isValid(address)) return 'unknown';
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${new ipaddr.IPv6([...parts, 0, 0, 0, 0]).toString()}/64`;
}
