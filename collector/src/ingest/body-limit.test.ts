import { connect } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../test/support/ingest.ts';
import { DRAIN_REFUSED_MAX_BYTES } from './body-limit.ts';

/**
 * Bodies refused by their declared length, over a real socket: the client must see the 413, never
 * a reset (the kernel resets a connection closed with unread bytes, issue 16's hostile drill).
 */
let server: ServerType;
let port = 0;

beforeAll(async () => {
  const { app } = testApp();
  await new Promise<void>((done) => {
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
      port = info.port;
      done();
    });
  });
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

/**
 * One raw POST that declares `declared` bytes and then streams `send` bytes in 16 KiB writes, as a
 * client uploading a body does: it keeps writing whatever the server answers meanwhile. It pauses
 * after the first write, as a client on a slow or busy link does, so the rest is still to come when
 * a server that does not wait for it has answered and closed: the reset the drill saw now and then.
 */
function rawPost(declared: number, send: number): Promise<{ response: string; error: string | undefined; sentWhenAnswered: number }> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    let response = '';
    let error: string | undefined;
    let sentWhenAnswered = -1;
    let sent = 0;
    socket.on('data', (chunk: Buffer) => {
      if (response === '') sentWhenAnswered = sent;
      response += chunk.toString('latin1');
    });
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('close', () => done({ response, error, sentWhenAnswered }));
    socket.write(`POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: ${declared}\r\n\r\n`);
    const chunk = Buffer.alloc(16 * 1024, '['); // deep nesting, as the drill sends
    let paused = false;
    const more = (): void => {
      while (sent < send && !socket.destroyed) {
        if (sent > 0 && !paused) {
          paused = true;
          return void setTimeout(more, 100);
        }
        const n = Math.min(chunk.length, send - sent);
        sent += n;
        if (!socket.write(chunk.subarray(0, n))) return void socket.once('drain', more);
      }
      // Half-closing before the answer would look like an aborted upload: with nothing to send, wait for the server to close.
      if (!socket.destroyed && send > 0) socket.end();
    };
    more();
  });
}

describe('a body over the limit by its Content-Length, on a real socket', () => {
  it('is read and dropped (up to 1 MiB) before the 413, so the client gets its answer, never a reset', async () => {
    for (const size of [20_000, 600_000, DRAIN_REFUSED_MAX_BYTES]) {
      for (let round = 0; round < 2; round++) {
        const { response, error, sentWhenAnswered } = await rawPost(size, size);
        expect(error, `${size} bytes, round ${round}`).toBeUndefined();
        // Answered only once the whole body was in: nothing left to arrive at a closed socket.
        expect(sentWhenAnswered, `${size} bytes, round ${round}`).toBe(size);
        expect(response).toMatch(/^HTTP\/1\.1 413 /);
        expect(response).toContain('body_too_large');
      }
    }
  }, 60_000);

  it('is answered at once, without waiting for the body, when it declares more than 1 MiB', async () => {
    // Nothing of the body is sent: the answer can only come from the declared length.
    const { response } = await rawPost(DRAIN_REFUSED_MAX_BYTES + 1, 0);
    expect(response).toMatch(/^HTTP\/1\.1 413 /);
    expect(response.toLowerCase()).toContain('connection: close');
  });
});
