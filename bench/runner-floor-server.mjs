// The HTTP floor of the runner benchmark: a Fastify server that answers the simulated citizen's requests
// in the same order and with the same page bytes as Plaza, but renders nothing and stores nothing. What
// the same citizens reach against it is what any implementation could reach on this machine with this
// client. Plain JavaScript, run by node itself, so no loader stands between it and the measurement.
//
//   PORT=… FLOOR_PAGE=<file with a captured page> FLOOR_STEPS=<question pages> FLOOR_SLUG=… node bench/runner-floor-server.mjs
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const page = readFileSync(process.env.FLOOR_PAGE, 'utf8');
const confirmation = page.replace('</main>', '<strong>ACDE-FGHJ</strong></main>');
const steps = Number(process.env.FLOOR_STEPS);
const prefix = `/apply/${process.env.FLOOR_SLUG}`;

const app = Fastify({ logger: false });
// Bodies are read in full, as Plaza reads them, and then ignored.
app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

const html = (reply, body) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
const next = (reply, location) => reply.redirect(location, 303);

app.get('/*', async (request, reply) => html(reply, request.url === `${prefix}/confirmation` ? confirmation : page));
app.post(`${prefix}/start`, async (_request, reply) => {
  reply.header('set-cookie', `plaza-journey=${'x'.repeat(43)}; Path=${prefix}; HttpOnly; SameSite=Lax`);
  return next(reply, `${prefix}/page/step?n=0`);
});
app.post(`${prefix}/page/step`, async (request, reply) => {
  const n = Number(request.query.n);
  return next(reply, n + 1 < steps ? `${prefix}/page/step?n=${n + 1}` : `${prefix}/check`);
});
app.post(`${prefix}/check`, async (_request, reply) => next(reply, `${prefix}/declaration`));
app.post(`${prefix}/declaration`, async (_request, reply) => next(reply, `${prefix}/confirmation`));

await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
