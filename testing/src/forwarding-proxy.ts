import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A plain-HTTP forward proxy on loopback that stands for one visitor's network: every request
 * it forwards gets `clientAddress` appended to `X-Forwarded-For`, exactly as a trusted reverse
 * proxy appends the address it saw. Tests give each simulated visitor its own proxy (Chromium's
 * `--proxy-server`), and the collector, started with `TRUSTED_PROXIES=loopback`, sees distinct
 * client addresses: the honest way to have several visitors on one machine, instead of lifting
 * the per-origin cap. Plain HTTP only (no CONNECT): everything in these tests is on loopback.
 */
export interface ForwardingProxy {
  /** `http://127.0.0.1:<port>`, for `--proxy-server`. */
  readonly url: string;
  readonly clientAddress: string;
  close(): Promise<void>;
}

export function appendForwardedFor(headers: IncomingHttpHeaders, clientAddress: string): IncomingHttpHeaders {
  const previous = headers['x-forwarded-for'];
  const chain = [...(Array.isArray(previous) ? previous : previous ? [previous] : []), clientAddress].join(', ');
  return { ...headers, 'x-forwarded-for': chain };
}

export async function startForwardingProxy(clientAddress: string): Promise<ForwardingProxy> {
  const server = createServer((req, res) => {
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('absolute-form request URL expected (this is a forward proxy)');
      return;
    }
    const headers = appendForwardedFor(req.headers, clientAddress);
    delete headers['proxy-connection']; // a hop-by-hop header meant for us, not the origin
    const upstream = request(
      { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: req.method, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.once('error', (error) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(String(error.message));
    });
    req.pipe(upstream);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    clientAddress,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
