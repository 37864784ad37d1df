import { createServer, type Server } from 'node:http';
import { metricsAuthorised } from './metrics.js';
import type { Platform } from './platform.js';

/**
 * What `plaza worker` answers on WORKER_PORT: `/healthz` for an orchestrator's liveness probe and `/metrics` (behind
 * METRICS_TOKEN, as on the web processes) for this process's own figures, such as Notify's delivery outcomes.
 */
export function serveWorkerProbes(platform: Platform, port: number): Promise<Server> {
  const { config } = platform;
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': type, ...headers }).end(body);
    };
    if (request.method !== 'GET') return send(405, 'text/plain', 'Method not allowed');
    if (path === '/healthz') return send(200, 'application/json', JSON.stringify({ status: 'ok', database: platform.dbKind, role: 'worker' }));
    if (path === '/metrics' && config.metricsToken) {
      if (!metricsAuthorised(request.headers.authorization, config.metricsToken)) return send(401, 'text/plain', 'A bearer token is needed (METRICS_TOKEN)', { 'www-authenticate': 'Bearer realm="metrics"' });
      platform.metrics.render()
        .then(({ contentType, body }) => send(200, contentType, body))
        .catch((error: unknown) => { platform.log.error({ err: error }, 'metrics could not be read'); send(500, 'text/plain', 'Metrics could not be read'); });
      return;
    }
    return send(404, 'text/plain', 'Not found');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, config.host, () => resolve(server));
  });
}
