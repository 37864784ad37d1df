import type { FastifyInstance } from 'fastify';
import { requireStaff, staffOf } from '../../platform/auth/guards.js';
import { actorFor } from '../../platform/auth/staff.js';
import { assertAgencyAccess } from '../../platform/auth/guards.js';
import type { Platform } from '../../platform/platform.js';
import { BUILDER_ROLES, may } from '../access.js';
import { say } from '../edits/definition.js';
import { getLibraryQuestion, listLibrary, removeFromLibrary } from '../library.js';
import { NotFoundError } from '../../platform/errors.js';

/** The agency's library of reusable questions: questions are added from the page editor and used from "Add a page". */
export async function libraryRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { db } = platform;

  app.get('/staff/builder/library', { schema: { hide: true }, preHandler: requireStaff(...BUILDER_ROLES.view) }, async (request, reply) => {
    const user = staffOf(request);
    const entries = user.agencyId ? await listLibrary(db, user.agencyId) : [];
    const done = (request.query as { done?: string }).done;
    return reply.page('builder/views/library.njk', {
      title: request.t('builder.library.title'), hasAgency: !!user.agencyId, canEdit: may(user, 'edit'),
      entries: entries.map((e) => ({ id: e.id, name: e.name, label: say(e.question.label, request.lang), typeName: request.t(`builder.type.${e.question.type}`), languages: Object.keys(e.question.label).join(', ') })),
      flash: done === 'removed' ? request.t('builder.done.libraryRemoved') : undefined, backLink: '/staff/builder',
    });
  });

  app.post('/staff/builder/library/:entryId/delete', { schema: { hide: true }, preHandler: requireStaff(...BUILDER_ROLES.edit) }, async (request, reply) => {
    const user = staffOf(request);
    const entry = await getLibraryQuestion(db, (request.params as { entryId: string }).entryId);
    if (!entry) throw new NotFoundError();
    assertAgencyAccess(user, entry.agencyId);
    await removeFromLibrary(db, actorFor(user), entry);
    return reply.redirect('/staff/builder/library?done=removed', 303);
  });
}
