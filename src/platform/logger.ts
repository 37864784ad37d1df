import pino from 'pino';

/** Paths never written to logs: credentials and anything that identifies a person. */
export const REDACTED_PATHS = [
  'req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]',
  '*.password', '*.email', '*.phone', '*.phone_number', '*.email_address', '*.answers', '*.personalisation',
];

/** One pino logger for the process; requests get children of it from Fastify. */
export function createLogger(level: string) {
  return pino({
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // Query strings can carry search terms and references: log the path only.
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({ method: req.method, path: req.url.split('?')[0], id: req.id }),
    },
  });
}
export type Logger = ReturnType<typeof createLogger>;
