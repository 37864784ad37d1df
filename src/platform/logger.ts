import { createRequire } from 'node:module';
import pino from 'pino';

/** Paths never written to logs: credentials and anything that identifies a person. */
export const REDACTED_PATHS = [
  'req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]',
  '*.password', '*.email', '*.phone', '*.phone_number', '*.email_address', '*.answers', '*.personalisation',
];

/**
 * One pino logger for the process; requests get children of it from Fastify (each line with its `requestId`).
 * JSON lines by default; `pretty` (pino-pretty, loaded only then) for a person at a terminal: `auto` picks it when
 * standard output is a terminal, which is `npm start` in development, never a container or a pipe.
 */
export function createLogger(level: string, format: 'auto' | 'pretty' | 'json' = 'json') {
  const pretty = format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true);
  const stream = pretty ? (createRequire(import.meta.url)('pino-pretty') as (options: object) => pino.DestinationStream)({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' }) : undefined;
  const options: pino.LoggerOptions = {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // Query strings can carry search terms and references: log the path only.
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({ method: req.method, path: req.url.split('?')[0] }),
    },
  };
  return stream ? pino(options, stream) : pino(options);
}
export type Logger = ReturnType<typeof createLogger>;
