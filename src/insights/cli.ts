import { CliUsageError, type CliCommand } from '../cli/commands.js';
import { rebuildRollups, RebuildRangeError } from './repo/rebuild.js';

/** `plaza insights:rebuild-rollups`. */
export const insightsCommands: CliCommand[] = [
  {
    name: 'insights:rebuild-rollups',
    summary: 'Recount Insights\' rollups from the raw analytics events (after a fix or a change of retention).',
    usage: 'plaza insights:rebuild-rollups [--service <key>] [--from <YYYY-MM-DD>] [--to <YYYY-MM-DD>] [--json]',
    options: { service: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } },
    async run({ values }, ctx) {
      const service = values.service as string | undefined;
      if (service !== undefined && !/^[a-z0-9][a-z0-9-]*$/.test(service)) throw new CliUsageError(`--service must be a service key like housing-support, got "${service}"`);
      try {
        const started = performance.now();
        const results = await rebuildRollups(ctx.platform.db, { service, from: values.from as string | undefined, to: values.to as string | undefined, settings: ctx.platform.config.insights });
        const seconds = (performance.now() - started) / 1000;
        const lines = results.map((r) => `${r.service}: ${r.journeys} journeys, ${r.events} events`);
        ctx.print([...lines, `Rebuilt the rollups of ${results.length} service(s) in ${seconds.toFixed(1)} s.`].join('\n'), { services: results, seconds });
      } catch (error) {
        if (error instanceof RebuildRangeError) throw new CliUsageError(error.message);
        throw error;
      }
    },
  },
];
