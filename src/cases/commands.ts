import type { CliCommand } from '../cli/commands.js';
import { deleteExpiredCase, expiredCaseIds } from './records.js';

export const casesCommands: CliCommand[] = [{
  name: 'cases:retention',
  summary: 'Delete closed cases whose service’s retention period has passed, with their submissions and files (recorded in the audit log)',
  usage: 'plaza cases:retention [--json]',
  async run(_args, ctx) {
    const ids = await expiredCaseIds(ctx.platform.db);
    let deleted = 0;
    for (const id of ids) if ((await deleteExpiredCase(ctx.platform, id)) === 'deleted') deleted++;
    ctx.print(`${deleted} closed case(s) deleted under retention`, { deleted });
  },
}];
