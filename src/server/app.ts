import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatehouseError, errorMessage } from '../errors.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { sendError, sendJson } from './http.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { Router } from './router.ts';
import { registerRoutes } from './routes.ts';
import type { Authenticator, Permission, Principal } from './auth.ts';

export interface ServerOptions {
  runtime: Runtime;
  auth: Authenticator;
  host: string;
  port: number;
  maxBodyBytes: number;
}

export interface RunningServer {
  server: Server;
  url: string;
  metrics: Metrics;
  /** Stops accepting, waits for in-flight requests (and so their ledger appends), then closes the runtime. */
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { runtime, auth } = options;
  const metrics = createMetrics({
    // A count: listing read and parsed every pending request (up to 100,000) on each scrape.
    pendingApprovals: () => runtime.approvals.count({ status: 'pending' }),
    ledgerSize: () => runtime.ledger.size(),
  });
  const router = new Router<Principal>();
  let ready = true;
  registerRoutes(router, { runtime, metrics, maxBodyBytes: options.maxBodyBytes, isReady: () => ready });

  const inFlight = new Set<Promise<void>>();
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://localhost');
    let routeLabel = 'unmatched';
    try {
      const match = router.match(req.method ?? 'GET', url.pathname);
      if (!match) throw new GatehouseError('NOT_FOUND', `no route ${req.method} ${url.pathname}`, { hint: 'see GET /openapi.json' });
      if ('allowed' in match) {
        res.setHeader('allow', match.allowed.join(', '));
        sendJson(res, 405, { error: { code: 'USAGE', message: `${req.method} is not allowed on ${url.pathname}` } });
        return;
      }
      routeLabel = match.route.pattern;
      let principal: Principal | undefined;
      if (match.route.permission !== null) {
        const header = req.headers.authorization ?? '';
        const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
        if (!token) throw new GatehouseError('UNAUTHORIZED', 'missing API key', { hint: 'send "Authorization: Bearer <key>" (create one with `gatehouse keys create`)' });
        principal = await auth.authenticate(token);
        if (!auth.can(principal, match.route.permission as Permission)) {
          throw new GatehouseError('FORBIDDEN', `a ${principal.role} key may not ${match.route.permission}`);
        }
      }
      await match.route.handler({ req, res, params: match.params, query: url.searchParams }, principal as Principal);
    } catch (error) {
      if (!(error instanceof GatehouseError)) runtime.logger.log('error', 'request failed', { method: req.method, path: url.pathname, error: errorMessage(error) });
      if (!res.headersSent) sendError(res, error);
      else res.destroy();
    } finally {
      metrics.httpLatency.observe({ route: routeLabel, status: String(res.statusCode) }, (performance.now() - started) / 1000);
    }
  };

  const server = createServer({ keepAlive: true }, (req, res) => {
    const p = handle(req, res).finally(() => inFlight.delete(p));
    inFlight.add(p);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    server,
    url: `http://${host}:${address.port}`,
    metrics,
    close() {
      closing ??= (async () => {
        ready = false;
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await Promise.allSettled([...inFlight]);
        server.closeAllConnections();
        await stopped;
        await runtime.close();
      })();
      return closing;
    },
  };
}
