import { SYSTEM_ACTOR } from '../platform/audit.js';
import { listFailedJobs, retryFailedJob } from '../platform/job-records.js';
import { createStaffUser, findStaffByEmail } from '../platform/auth/staff.js';
import { resetSecondFactor } from '../platform/auth/second-factor.js';
import { inTransaction } from '../platform/database.js';
import { ROLE_NAMES } from '../platform/auth/roles.js';
import { migrateToLatest } from '../platform/migrations.js';
import { seedDemoData } from '../platform/create.js';
import { serveWorkerProbes } from '../platform/worker-http.js';
import type { Capability } from '../platform/platform.js';
import { CliUsageError, throwAsUsageError, type CliCommand } from './commands.js';

/** Commands that belong to the platform itself rather than to one capability. */
export function platformCommands(capabilities: () => Capability[]): CliCommand[] {
  return [
    {
      name: 'migrate',
      summary: 'Bring the database schema up to date (the server also does this at start).',
      usage: 'plaza migrate [--json]',
      async run(_args, ctx) {
        const result = await migrateToLatest(ctx.platform.db, ctx.platform.config);
        const applied = (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
        ctx.print(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'The database is up to date.', { applied });
      },
    },
    {
      name: 'seed',
      summary: 'Add the demo agencies, staff and services (safe to run again).',
      usage: 'plaza seed [--json]',
      async run(_args, ctx) {
        await seedDemoData(ctx.platform, capabilities(), { onlyIfFirstTime: false });
        ctx.print('Demo data seeded.', { seeded: true });
      },
    },
    {
      name: 'create-user',
      summary: 'Create a staff account.',
      usage: `plaza create-user --email <email> --role <${ROLE_NAMES.join('|')}> [--role …] [--agency <slug>] [--name <name>] [--password <password>] [--json]\n` +
        'Without --password, one is generated and printed once.',
      options: { email: { type: 'string' }, role: { type: 'string', multiple: true }, agency: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' } },
      async run({ values }, ctx) {
        const email = values.email as string | undefined;
        const roles = (values.role as string[] | undefined) ?? [];
        if (!email) throw new CliUsageError('--email is required');
        if (roles.length === 0) throw new CliUsageError('--role is required');
        const generated = values.password === undefined;
        const password = (values.password as string | undefined) ?? (await import('../platform/auth/passwords.js')).randomToken(15);
        try {
          const user = await createStaffUser(ctx.platform.db, SYSTEM_ACTOR, {
            email, roles, password, name: (values.name as string | undefined) ?? email.split('@')[0], agencySlug: (values.agency as string | undefined) ?? null,
          });
          ctx.print(`Created ${user.email} (${user.roles.join(', ')})${generated ? `. Password: ${password}` : ''}`,
            { id: user.id, email: user.email, roles: user.roles, agencyId: user.agencyId, ...(generated ? { password } : {}) });
        } catch (error) {
          throwAsUsageError(error, { roles: 'role' });
        }
      },
    },
    {
      name: 'staff:reset-second-factor',
      summary: 'Remove a staff member\'s second factor (lost phone and recovery codes) and end their sessions (audited).',
      usage: 'plaza staff:reset-second-factor --email <email> [--json]\nAn admin then sets up a new authenticator app at their next sign-in.',
      options: { email: { type: 'string' } },
      async run({ values }, ctx) {
        const email = values.email as string | undefined;
        if (!email) throw new CliUsageError('--email is required');
        const account = await findStaffByEmail(ctx.platform.db, email);
        if (!account) throw new CliUsageError(`there is no staff account ${email}`);
        const had = await inTransaction(ctx.platform.db, (trx) => resetSecondFactor(trx, SYSTEM_ACTOR, { id: account.id, agencyId: account.agency_id }));
        ctx.print(had ? `The second factor of ${email} is reset; their sessions are ended.` : `${email} had no second factor; their sessions are ended.`, { email, reset: true, hadSecondFactor: had });
      },
    },
    {
      name: 'jobs:failed',
      summary: 'List jobs that used up their attempts (newest first), with their last error.',
      usage: 'plaza jobs:failed [--json]',
      async run(_args, ctx) {
        const failed = await listFailedJobs(ctx.platform.db);
        const lines = failed.map((job) => `${job.id}\t${job.queue}\t${job.attempts} attempts\t${job.failedAt?.toISOString() ?? ''}\t${job.lastError ?? ''}`);
        ctx.print(failed.length ? lines.join('\n') : 'No failed jobs.', { failed });
      },
    },
    {
      name: 'jobs:retry',
      summary: 'Put a failed job back in its queue with its attempts reset (audited).',
      usage: 'plaza jobs:retry <id> [--json]',
      async run({ positionals }, ctx) {
        const id = Number(positionals[0]);
        if (positionals.length !== 1 || !Number.isSafeInteger(id) || id <= 0) throw new CliUsageError('give the id of one failed job (see plaza jobs:failed)');
        const queue = await retryFailedJob(ctx.platform.db, SYSTEM_ACTOR, id);
        if (!queue) throw new CliUsageError(`there is no failed job ${id}`);
        ctx.print(`Job ${id} (${queue}) is queued again.`, { id, queue, retried: true });
      },
    },
    {
      name: 'worker',
      summary: 'Run job workers only (no web pages), to scale out on Postgres; /healthz and /metrics on WORKER_PORT if set.',
      usage: 'plaza worker',
      async run(_args, ctx) {
        const { workerPort } = ctx.platform.config;
        const probes = workerPort === undefined ? undefined : await serveWorkerProbes(ctx.platform, workerPort);
        ctx.platform.jobs.start();
        ctx.print(`Workers running for: ${ctx.platform.jobs.registeredQueues().join(', ') || 'no queues'}${probes ? `; /healthz and /metrics on port ${workerPort}` : ''}. Stop with Ctrl+C.`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await new Promise<void>((resolve) => probes ? probes.close(() => resolve()) : resolve());
      },
    },
  ];
}
