import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { EventHub } from '../../events/index.js';
import { eventsRouter } from './events.js';

/**
 * Backpressure on real sockets: a reader that stops reading is dropped once more than
 * `maxUnreadBytes` wait for it (so the daemon's memory stays bounded), while a reader that keeps
 * up on the same hub gets every event.
 */
describe('events router: a slow reader is dropped, never buffered without bound', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('drops the paused reader and keeps the one that reads', async () => {
    const hub = new EventHub();
    const app = express();
    app.use('/events', eventsRouter(hub, { maxUnreadBytes: 256 * 1024, pingMs: 60_000 }));
    server = createServer(app);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;

    const slow = connect(port, '127.0.0.1');
    slow.write('GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    slow.pause();
    const slowClosed = new Promise<void>((resolve) => slow.once('close', () => resolve()));
    slow.on('error', () => undefined);

    let fastBytes = 0;
    const fast = connect(port, '127.0.0.1');
    fast.write('GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    fast.on('data', (chunk: Buffer) => (fastBytes += chunk.length));
    while (hub.subscribers < 2) await new Promise((resolve) => setTimeout(resolve, 10));

    const big = 'x'.repeat(100 * 1024);
    let published = 0;
    // Publish until the slow reader is gone: the kernel's buffers fill first, then ours, up to the bound.
    while (hub.subscribers === 2 && published < 2_000) {
      hub.publish('tools.changed', { server_id: big });
      published += 1;
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(hub.subscribers).toBe(1);
    expect(published).toBeLessThan(2_000);
    slow.resume();
    await slowClosed;
    while (fastBytes < published * big.length) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(fastBytes).toBeGreaterThan(published * big.length);
    fast.destroy();
  }, 30_000);
});
