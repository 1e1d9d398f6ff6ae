/**
 * A deterministic corpus of hostile requests for `POST /v1/events`: the collector must answer each
 * with a 4xx (or a 2xx for the few that carry a valid event beside the junk), never crash, never
 * 5xx, and never let an invalid record into Kafka.
 */

/** One request of the corpus. `slow` bodies are sent in pieces with pauses between them. */
export interface HostileRequest {
  kind: HostileKind;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer | null;
  slow?: boolean;
}

export const HOSTILE_KINDS = [
  'malformed-json',
  'oversize',
  'deep-nesting',
  'prototype-keys',
  'invalid-utf8',
  'wrong-types',
  'wrong-method',
  'wrong-media-type',
  'edge-values',
  'slow-body',
] as const;
export type HostileKind = (typeof HOSTILE_KINDS)[number];

const TEXT = { 'content-type': 'text/plain' };
const ID = (i: number) => `hostile-${String(i).padStart(10, '0')}`;
const TS = Date.UTC(2026, 0, 1);

function json(value: unknown): Buffer {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8');
}

function view(i: number, slug: string, extra: Record<string, unknown> = {}) {
  return { type: 'view', id: ID(i), ts: TS, aircraft: slug, ...extra };
}

function malformed(i: number, slug: string): Buffer {
  const valid = JSON.stringify({ v: 1, events: [view(i, slug)] });
  const variants = [
    valid.slice(0, 1 + (i % (valid.length - 1))),
    `${valid},`,
    valid.replaceAll('"', "'"),
    '{"v":1,"events":[',
    'null',
    '',
    '{"v":1,"events":[{"type":"view",}]}',
    String.fromCharCode(...Array.from({ length: 64 }, (_, k) => 32 + ((i * 31 + k * 7) % 95))),
  ];
  return json(variants[i % variants.length] as string);
}

function oversize(i: number, slug: string): Buffer {
  const sizes = [16 * 1024 + 1, 64 * 1024, 256 * 1024];
  const size = i % 100 === 0 ? 1024 * 1024 : (sizes[i % sizes.length] as number);
  const events = [view(i, slug, { pad: 'x'.repeat(size) })];
  return json({ v: 1, events });
}

function deepNesting(i: number): Buffer {
  const depth = [1_000, 10_000, 100_000][i % 3] as number;
  if (i % 2 === 0) return json(`${'['.repeat(depth)}${']'.repeat(depth)}`);
  return json(`{"v":1,"events":[${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}]}`);
}

function prototypeKeys(i: number, slug: string): Buffer {
  const variants = [
    `{"v":1,"events":[${JSON.stringify(view(i, slug)).slice(0, -1)},"__proto__":{"polluted":true}}]}`,
    `{"__proto__":{"v":1},"events":[${JSON.stringify(view(i, slug))}]}`,
    `{"v":1,"events":[{"type":"view","id":"${ID(i)}","ts":${TS},"aircraft":"${slug}","constructor":{"prototype":{"polluted":true}}}]}`,
    `{"v":1,"events":[{"__proto__":{"type":"view","id":"${ID(i)}","ts":${TS},"aircraft":"${slug}"}}]}`,
    `{"v":1,"events":[{"type":"view","id":"${ID(i)}","ts":${TS},"aircraft":"__proto__"}]}`,
    `{"v":1,"events":[{"type":"search","id":"${ID(i)}","ts":${TS},"query":"constructor","results":1,"clicked":"prototype"}]}`,
  ];
  return json(variants[i % variants.length] as string);
}

function invalidUtf8(i: number, slug: string): Buffer {
  const head = Buffer.from(`{"v":1,"events":[{"type":"search","id":"${ID(i)}","ts":${TS},"results":1,"query":"`, 'utf8');
  const bad = [
    [0xff, 0xfe],
    [0xc0, 0xaf], // overlong "/"
    [0xed, 0xa0, 0x80], // a UTF-16 surrogate encoded as UTF-8
    [0xe2, 0x82], // truncated sequence
    [0xf8, 0x88, 0x80, 0x80, 0x80],
  ][i % 5] as number[];
  const tail = Buffer.from(`"}],"x":"${slug}"}`, 'utf8');
  return Buffer.concat([head, Buffer.from(bad), tail]);
}

function wrongTypes(i: number, slug: string): Buffer {
  const variants: unknown[] = [
    { v: '1', events: [view(i, slug)] },
    { v: 1, events: {} },
    { v: 1, events: [] },
    { v: 1, events: Array.from({ length: 26 }, (_, k) => view(i * 100 + k, slug)) },
    { v: 1, events: [{ ...view(i, slug), id: 123 }] },
    { v: 1, events: [{ ...view(i, slug), ts: 'yesterday' }] },
    { v: 1, events: [{ ...view(i, slug), ts: Number.MAX_VALUE }] },
    { v: 1, events: [{ ...view(i, slug), aircraft: null }] },
    { v: 1, events: [{ type: 'search', id: ID(i), ts: TS, query: 'a', results: -1 }] },
    { v: 1, events: [{ type: 'search', id: ID(i), ts: TS, query: ['a'], results: 1 }] },
    { v: 1, events: [{ type: 'purchase', id: ID(i), ts: TS }] },
    { v: 1, events: [view(i, slug, { extra: 1 })] },
    [view(i, slug)],
    42,
    'a string',
  ];
  return json(variants[i % variants.length]);
}

function edgeValues(i: number, slug: string): Buffer {
  const variants: unknown[] = [
    { v: 1, events: [view(i, 'no-such-aircraft-anywhere')] },
    { v: 1, events: [{ ...view(i, slug), id: 'short' }] },
    { v: 1, events: [{ ...view(i, slug), id: 'x'.repeat(65) }] },
    { v: 1, events: [{ ...view(i, slug), ts: 0 }] },
    { v: 1, events: [{ ...view(i, slug), aircraft: '../../etc/passwd' }] },
    { v: 1, events: [{ type: 'search', id: ID(i), ts: TS, query: ' '.repeat(50), results: 1 }] },
    { v: 1, events: [{ type: 'search', id: ID(i), ts: TS, query: 'q'.repeat(101), results: 1 }] },
    { v: 1, events: [{ type: 'search', id: ID(i), ts: TS, query: '\u0000\u202e<script>', results: 1, clicked: 'nope' }] },
    { v: 1, events: [{ type: 'search', id: ID(i), ts: TS, query: 'a', results: 100_001 }] },
  ];
  return json(variants[i % variants.length]);
}

/** The i-th request of the corpus for a catalogue slug; the same i always gives the same request. */
export function hostileRequest(i: number, slug: string): HostileRequest {
  const kind = HOSTILE_KINDS[i % HOSTILE_KINDS.length] as HostileKind;
  const n = Math.floor(i / HOSTILE_KINDS.length);
  const post = (body: Buffer, headers: Record<string, string> = TEXT): HostileRequest => ({ kind, method: 'POST', path: '/v1/events', headers, body });
  switch (kind) {
    case 'malformed-json':
      return post(malformed(n, slug));
    case 'oversize':
      return post(oversize(n, slug));
    case 'deep-nesting':
      return post(deepNesting(n));
    case 'prototype-keys':
      return post(prototypeKeys(n, slug));
    case 'invalid-utf8':
      return post(invalidUtf8(n, slug));
    case 'wrong-types':
      return post(wrongTypes(n, slug));
    case 'wrong-method': {
      const method = ['GET', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'TRACE', 'CONNECT'][n % 7] as string;
      const path = ['/v1/events', '/v1/events/', '/v1/../v1/events', '/metrics', '/%2e%2e/etc/passwd'][n % 5] as string;
      const body = method === 'GET' || method === 'HEAD' || method === 'TRACE' ? null : json({ v: 1, events: [view(n, slug)] });
      return { kind, method: method === 'CONNECT' ? 'OPTIONS' : method, path, headers: TEXT, body };
    }
    case 'wrong-media-type': {
      const type = ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/html', '', 'application/json; charset=utf-16'][n % 5] as string;
      return post(json({ v: 1, events: [view(n, slug)] }), type ? { 'content-type': type } : {});
    }
    case 'edge-values':
      return post(edgeValues(n, slug));
    case 'slow-body':
      return { ...post(json({ v: 1, events: [{ ...view(n, slug), pad: 'y'.repeat(n % 2 === 0 ? 100 : 20_000) }] })), slow: true };
  }
}
