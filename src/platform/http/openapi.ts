import type { FastifyInstance } from 'fastify';

interface Operation { summary?: string; description?: string; tags?: string[]; parameters?: { name: string; in: string; required?: boolean; description?: string }[] }

/** The OpenAPI document of every JSON API, and a page that lists it for people (no JavaScript needed). */
export async function openApiRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/api/docs', { schema: { hide: true } }, async (request, reply) => {
    const doc = app.swagger() as { info: { title: string; description?: string }; paths?: Record<string, Record<string, Operation>> };
    const operations = Object.entries(doc.paths ?? {}).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), ...op })));
    return reply.page('platform/http/views/api-docs.njk', { title: doc.info.title, description: doc.info.description, operations });
  });
}
