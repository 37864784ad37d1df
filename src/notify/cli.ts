import { SYSTEM_ACTOR } from '../platform/audit.js';
import { CliUsageError, throwAsUsageError, type CliCommand } from '../cli/commands.js';
import { KEY_TYPES, NOTIFICATION_TYPES, type KeyType, type NotificationType } from './constants.js';
import { findServiceBySlug } from './repo.js';
import { notifyRuntime } from './runtime.js';
import { deleteOldNotifyData } from './retention.js';
import { createApiKey, createTemplate } from './notifications.js';

async function serviceFrom(ctx: Parameters<CliCommand['run']>[1], slug: unknown) {
  if (typeof slug !== 'string' || !slug) throw new CliUsageError('--service is required');
  const service = await findServiceBySlug(ctx.platform.db, slug);
  if (!service) throw new CliUsageError(`--service: there is no Notify service "${slug}"`);
  return service;
}

const asUsageError = (error: unknown) => throwAsUsageError(error, { keyType: 'type' });

/** `plaza notify:create-key` and `plaza notify:create-template`, for provisioning by script; `plaza notify:delete-old-data`, the daily retention job run now. */
export const notifyCommands: CliCommand[] = [
  {
    name: 'notify:create-key',
    summary: 'Create a Notify API key for a service and print it (shown only once).',
    usage: `plaza notify:create-key --service <slug> --type ${KEY_TYPES.join('|')} --name <name> [--json]`,
    options: { service: { type: 'string' }, type: { type: 'string' }, name: { type: 'string' } },
    async run({ values }, ctx) {
      const service = await serviceFrom(ctx, values.service);
      if (!KEY_TYPES.includes(values.type as KeyType)) throw new CliUsageError(`--type must be one of ${KEY_TYPES.join(', ')}`);
      if (typeof values.name !== 'string' || !values.name.trim()) throw new CliUsageError('--name is required');
      const runtime = await notifyRuntime(ctx.platform);
      const created = await createApiKey(ctx.platform.db, SYSTEM_ACTOR, service, { name: values.name, keyType: values.type as KeyType }, runtime.sealingSecret).catch(asUsageError);
      ctx.print(created.key, { id: created.id, key: created.key, service: service.slug, serviceId: service.id, type: values.type, name: values.name });
    },
  },
  {
    name: 'notify:create-template',
    summary: 'Create a Notify template for a service and print its id.',
    usage: `plaza notify:create-template --service <slug> --type ${NOTIFICATION_TYPES.join('|')} --name <name> [--subject <subject>] --body <body> [--json]`,
    options: { service: { type: 'string' }, type: { type: 'string' }, name: { type: 'string' }, subject: { type: 'string' }, body: { type: 'string' } },
    async run({ values }, ctx) {
      const service = await serviceFrom(ctx, values.service);
      if (!NOTIFICATION_TYPES.includes(values.type as NotificationType)) throw new CliUsageError(`--type must be one of ${NOTIFICATION_TYPES.join(', ')}`);
      const template = await createTemplate(ctx.platform.db, SYSTEM_ACTOR, service, {
        type: values.type as NotificationType, name: String(values.name ?? ''), subject: values.subject as string | undefined, body: String(values.body ?? '').replace(/\\n/g, '\n'),
      }).catch(asUsageError);
      ctx.print(template.id, { id: template.id, version: template.version, type: template.type, name: template.name, service: service.slug });
    },
  },
  {
    name: 'notify:delete-old-data',
    summary: 'Delete notifications, letter files and received texts older than each service\'s data retention (what the daily job does).',
    usage: 'plaza notify:delete-old-data [--json]',
    async run(_args, ctx) {
      const deleted = await deleteOldNotifyData(ctx.platform.db, { lettersDir: ctx.platform.config.notify.lettersDir });
      ctx.print(`Deleted ${deleted.notifications} notifications (${deleted.letterFiles} letter files), ${deleted.receivedTexts} received texts, `
        + `${deleted.documents} expired documents and ${deleted.mailboxCodes} old mailbox codes.`, deleted);
    },
  },
];
