import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments, parse } from 'yaml';

// The deploy files, checked offline: every Kubernetes manifest parses, has the fields its kind requires, and fits
// Plaza (probes on routes that exist, one image everywhere, settings from the Secret, a read-only root file system).
// Validation against Kubernetes' published JSON schemas through the `kubernetes-models` package (a dev dependency,
// docs/decisions/0092); the kustomization is rendered with `kubectl kustomize` when kubectl is on the PATH.

const K8S = 'deploy/kubernetes';
type Doc = { apiVersion: string; kind: string; metadata: { name: string }; spec?: any; data?: any; stringData?: any };

function manifests(): { file: string; doc: Doc }[] {
  const kustomization = parse(readFileSync(join(K8S, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
  return kustomization.resources.flatMap((file) => parseAllDocuments(readFileSync(join(K8S, file), 'utf8')).map((d) => {
    assert.deepEqual(d.errors, [], `${file} parses`);
    return { file, doc: d.toJS() as Doc };
  }));
}

const API_VERSIONS: Record<string, string> = {
  Secret: 'v1', ConfigMap: 'v1', Service: 'v1', Deployment: 'apps/v1', Job: 'batch/v1', Ingress: 'networking.k8s.io/v1',
};

test('every resource of the kustomization exists, parses and has its kind\'s apiVersion and a name', () => {
  const all = manifests();
  assert.deepEqual(all.map(({ doc }) => doc.kind).sort(), ['ConfigMap', 'Deployment', 'Deployment', 'Ingress', 'Job', 'Secret', 'Service']);
  for (const { file, doc } of all) {
    assert.equal(doc.apiVersion, API_VERSIONS[doc.kind], `${file}: ${doc.kind} apiVersion`);
    assert.match(doc.metadata.name, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, `${file}: a DNS-1123 name`);
  }
});

test('web, worker and migration run the same image, non-root, read-only, with settings from the Secret', () => {
  const all = manifests().map(({ doc }) => doc);
  const secret = all.find((d) => d.kind === 'Secret')!;
  const config = all.find((d) => d.kind === 'ConfigMap')!;
  const pods = all.filter((d) => d.kind === 'Deployment' || d.kind === 'Job').map((d) => ({ name: d.metadata.name, pod: d.spec.template.spec }));
  assert.equal(pods.length, 3);
  for (const { name, pod } of pods) {
    const [container] = pod.containers;
    assert.equal(container.image, 'plaza', `${name}: the one image (set by kustomize images)`);
    assert.equal(pod.securityContext.runAsNonRoot, true, `${name}: non-root`);
    assert.equal(container.securityContext.readOnlyRootFilesystem, true, `${name}: read-only root`);
    assert.ok(container.volumeMounts.some((m: { mountPath: string }) => m.mountPath === '/tmp'), `${name}: a writable /tmp`);
    const from = container.envFrom.map((e: { secretRef?: { name: string }; configMapRef?: { name: string } }) => e.secretRef?.name ?? e.configMapRef?.name);
    assert.deepEqual(from.sort(), [config.metadata.name, secret.metadata.name].sort(), `${name}: settings from the ConfigMap and the Secret`);
  }
  assert.ok('DATABASE_URL' in secret.stringData, 'the database address is a secret');
  const command = (name: string) => pods.find((p) => p.name === name)!.pod.containers[0].command;
  assert.deepEqual(command('plaza-worker'), ['node', 'bin/plaza.mjs', 'worker']);
  assert.deepEqual(command('plaza-migrate'), ['node', 'bin/plaza.mjs', 'migrate']);
  assert.equal(command('plaza-web'), undefined, 'web runs the image\'s default command');
});

test('probes: web ready on /readyz and alive on /healthz; the worker alive on WORKER_PORT', () => {
  const all = manifests().map(({ doc }) => doc);
  const web = all.find((d) => d.metadata.name === 'plaza-web' && d.kind === 'Deployment')!.spec.template.spec.containers[0];
  assert.equal(web.readinessProbe.httpGet.path, '/readyz');
  assert.equal(web.livenessProbe.httpGet.path, '/healthz');
  assert.deepEqual(web.env, [{ name: 'RUN_WORKERS', value: 'false' }]);
  const worker = all.find((d) => d.metadata.name === 'plaza-worker')!.spec.template.spec.containers[0];
  assert.equal(worker.livenessProbe.httpGet.path, '/healthz');
  const port = worker.env.find((e: { name: string }) => e.name === 'WORKER_PORT').value;
  assert.equal(worker.ports.find((p: { name: string }) => p.name === worker.livenessProbe.httpGet.port).containerPort, Number(port));
  const service = all.find((d) => d.kind === 'Service')!;
  assert.deepEqual(service.spec.selector, { 'app.kubernetes.io/name': 'plaza', 'app.kubernetes.io/component': 'web' });
});

test('kubectl kustomize renders the manifests (when kubectl is installed)', (t) => {
  const probe = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  if (probe.error) return t.skip('kubectl is not installed');
  const rendered = spawnSync('kubectl', ['kustomize', K8S], { encoding: 'utf8' });
  assert.equal(rendered.status, 0, rendered.stderr);
  const docs = parseAllDocuments(rendered.stdout).map((d) => d.toJS() as Doc);
  assert.equal(docs.length, 7);
  for (const doc of docs.filter((d) => d.kind === 'Deployment' || d.kind === 'Job')) assert.equal(doc.spec.template.spec.containers[0].image, 'plaza:latest');
});

test('each manifest validates against Kubernetes\' published schemas (kubernetes-models)', async () => {
  type Model = new (data: unknown) => { validate(): void };
  const load = (name: string) => import(name) as Promise<Record<string, Model>>;
  const models: Record<string, Record<string, Model>> = {
    v1: await load('kubernetes-models/v1'), 'apps/v1': await load('kubernetes-models/apps/v1'),
    'batch/v1': await load('kubernetes-models/batch/v1'), 'networking.k8s.io/v1': await load('kubernetes-models/networking.k8s.io/v1'),
  };
  for (const { file, doc } of manifests()) {
    const Model = models[doc.apiVersion][doc.kind];
    assert.doesNotThrow(() => new Model(doc).validate(), `${file}: ${doc.kind} ${doc.metadata.name}`);
  }
  // The validator itself refuses what Kubernetes would: a Deployment whose replicas is not a number.
  const web = manifests().find(({ doc }) => doc.kind === 'Deployment')!.doc;
  const broken = { ...web, spec: { ...web.spec, replicas: 'two' } };
  assert.throws(() => new models['apps/v1'].Deployment(broken).validate(), 'a wrong type fails the schema');
});

test('compose: Postgres, two web processes behind a proxy, one worker and a mail catcher, all Plaza from one image', () => {
  const compose = parse(readFileSync('compose.yaml', 'utf8'), { merge: true }) as { services: Record<string, { image?: string; command?: string[]; environment?: Record<string, string>; read_only?: boolean; depends_on?: unknown }> };
  const { services } = compose;
  assert.deepEqual(Object.keys(services).sort(), ['mail', 'migrate', 'postgres', 'proxy', 'web-1', 'web-2', 'worker']);
  const plaza = ['migrate', 'web-1', 'web-2', 'worker'];
  assert.equal(new Set(plaza.map((name) => services[name].image)).size, 1, 'one image');
  for (const name of plaza) assert.equal(services[name].read_only, true, `${name}: read-only root`);
  assert.equal(services['web-1'].environment?.RUN_WORKERS, 'false');
  assert.equal(services['web-2'].environment?.RUN_WORKERS, 'false');
  assert.deepEqual(services.worker.command, ['node', 'bin/plaza.mjs', 'worker']);
  assert.deepEqual(services.migrate.command, ['node', 'bin/plaza.mjs', 'migrate']);
  const caddyfile = readFileSync('deploy/compose/Caddyfile', 'utf8');
  assert.match(caddyfile, /reverse_proxy web-1:3000 web-2:3000/);
  assert.match(caddyfile, /health_uri \/readyz/);
});

test('the Dockerfile takes its base as an argument, installs no dev dependencies, runs as non-root with a health check', () => {
  const dockerfile = readFileSync('Dockerfile', 'utf8');
  assert.match(dockerfile, /^ARG BASE_IMAGE=/m);
  assert.equal(dockerfile.match(/^FROM \$\{BASE_IMAGE\}/gm)?.length, 2, 'multi-stage, both from the argument');
  assert.match(dockerfile, /npm ci --omit=dev/);
  assert.match(dockerfile, /^USER 10001:10001$/m);
  assert.match(dockerfile, /^HEALTHCHECK .*\n.*\/healthz/m);
  assert.ok(existsSync('.dockerignore'));
  assert.match(readFileSync('.dockerignore', 'utf8'), /^node_modules$/m);
});
