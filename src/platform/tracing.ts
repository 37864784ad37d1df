import type { Config } from './config.js';

export interface Tracing { shutdown(): Promise<void> }

/** Requests made every few seconds by load balancers and Prometheus: never traced. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * OpenTelemetry traces of HTTP requests, database queries and jobs, exported over OTLP/HTTP to
 * OTEL_EXPORTER_OTLP_ENDPOINT (docs/decisions/0093). Without an endpoint nothing is loaded: the spans Plaza starts
 * itself (jobs, route names) go to the API's no-op tracer. Call it before the server's modules are imported: the
 * HTTP and Postgres instrumentations patch `node:http` and `pg` as they load (the ESM hook for `import`, the
 * CommonJS one for `require`). The SDK reads the other standard OTEL_* variables itself (headers, sampling…).
 */
export async function startTracing(settings: Config['tracing']): Promise<Tracing | undefined> {
  if (!settings.endpoint) return undefined;
  const { register } = await import('node:module');
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  const [{ NodeSDK }, { OTLPTraceExporter }, { HttpInstrumentation }, { PgInstrumentation }, { resourceFromAttributes }, { ATTR_SERVICE_NAME }] = await Promise.all([
    import('@opentelemetry/sdk-node'), import('@opentelemetry/exporter-trace-otlp-http'), import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-pg'), import('@opentelemetry/resources'), import('@opentelemetry/semantic-conventions'),
  ]);
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName }),
    traceExporter: new OTLPTraceExporter({ url: `${settings.endpoint}/v1/traces` }),
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has((request.url ?? '').split('?')[0]) }),
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
