import { serve, type ServerType } from '@hono/node-server';
import net from 'node:net';

/**
 * A Hono app served on a real loopback port with @hono/node-server, the way `npm start` serves it, so a browser (or
 * any HTTP client) can reach it: server-sent events, real sockets, client addresses and all.
 */
export interface HttpServer {
  /** `http://127.0.0.1:<port>` without a trailing slash. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function serveApp(app: { fetch: (request: Request, env?: unknown) => Response | Promise<Response> }, port = 0): Promise<HttpServer> {
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
    s.once('error', reject);
  });
  const actual = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        // Event streams stay open until the client goes; cut them so close() does not wait for the browser.
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nobody listens on right now (the OS picks it), for servers that must be told a port up front. */
export { freePort } from '../../src/adapters/temporal/provision';
