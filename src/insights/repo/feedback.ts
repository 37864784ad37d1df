// Feedback from citizens: "is this page useful?", reported problems and the end-of-service satisfaction question.
import { randomBytes } from 'node:crypto';
import { inTransaction, sql, type DbOrTrx } from '../../platform/database.js';
import { sha256 } from '../../platform/hashing.js';
import { COMMENT_MAX, serviceOfPath } from '../feedback.js';
import { scrubPersonalData } from '../scrub.js';
import './tables.js';

/** Records a yes/no answer to "Is this page useful?". */
export async function recordUsefulness(db: DbOrTrx, input: { path: string; useful: boolean; language: string }): Promise<void> {
  await db.insertInto('insights_page_feedback').values({
    path: input.path, service: serviceOfPath(input.path), kind: input.useful ? 'useful' : 'not_useful', doing: '', went_wrong: '', language: input.language,
  }).execute();
}

/** Records a reported problem with a page, personal data scrubbed from both answers before they are stored. */
export async function recordProblem(db: DbOrTrx, input: { path: string; doing: string; wentWrong: string; language: string }): Promise<void> {
  await db.insertInto('insights_page_feedback').values({
    path: input.path, service: serviceOfPath(input.path), kind: 'problem',
    doing: scrubPersonalData(input.doing.trim()).slice(0, COMMENT_MAX), went_wrong: scrubPersonalData(input.wentWrong.trim()).slice(0, COMMENT_MAX),
    language: input.language,
  }).execute();
}

/** Records an answer to the end-of-service question and counts it in the satisfaction rollup, together. */
export async function recordSatisfaction(db: DbOrTrx, input: { service: string; definitionVersion: number; channel: string; language: string; rating: number; comment: string; at?: Date }): Promise<void> {
  const at = input.at ?? new Date();
  await inTransaction(db, async (trx) => {
    await trx.insertInto('insights_satisfaction_responses').values({
      service: input.service, definition_version: input.definitionVersion, channel: input.channel, language: input.language,
      rating: input.rating, comment: scrubPersonalData(input.comment.trim()).slice(0, COMMENT_MAX), created_at: at,
    }).execute();
    await trx.insertInto('insights_satisfaction_daily').values({
      service: input.service, day: at.toISOString().slice(0, 10), definition_version: input.definitionVersion, channel: input.channel, rating: input.rating, responses: 1,
    }).onConflict((oc) => oc.columns(['service', 'day', 'definition_version', 'channel', 'rating'])
      .doUpdateSet((eb) => ({ responses: eb('insights_satisfaction_daily.responses', '+', 1) }))).execute();
  });
}

/**
 * Issues the single-use token that lets a completed journey answer the satisfaction question once. Each call
 * replaces the journey's unused token (only its hash is kept); undefined once the journey has answered.
 */
export async function issueSatisfactionToken(db: DbOrTrx, input: { journey: string; service: string; definitionVersion: number; channel: string }): Promise<string | undefined> {
  const token = randomBytes(24).toString('base64url');
  const issued = await db.insertInto('insights_satisfaction_tokens').values({
    journey: input.journey, token_hash: sha256(token), service: input.service, definition_version: input.definitionVersion, channel: input.channel,
  }).onConflict((oc) => oc.column('journey').doUpdateSet({ token_hash: sha256(token), issued_at: sql`now()` }).where('insights_satisfaction_tokens.used_at', 'is', null))
    .returning('journey').executeTakeFirst();
  return issued ? token : undefined;
}

/** The journey a token was issued for, while it is unused and for this service. */
export function unusedSatisfactionToken(db: DbOrTrx, service: string, token: string) {
  return db.selectFrom('insights_satisfaction_tokens').select(['definition_version', 'channel'])
    .where('token_hash', '=', sha256(token)).where('service', '=', service).where('used_at', 'is', null).executeTakeFirst();
}

/**
 * Counts an answer to the end-of-service question if it spends an unused token of this service; the version and
 * channel are the journey's, not the form's. Returns false (nothing recorded) for a token unknown or already spent.
 */
export async function answerSatisfaction(db: DbOrTrx, input: { service: string; token: string; language: string; rating: number; comment: string }): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const spent = await trx.updateTable('insights_satisfaction_tokens').set({ used_at: new Date() })
      .where('token_hash', '=', sha256(input.token)).where('service', '=', input.service).where('used_at', 'is', null)
      .returning(['definition_version', 'channel']).executeTakeFirst();
    if (!spent) return false;
    await recordSatisfaction(trx, { service: input.service, definitionVersion: spent.definition_version, channel: spent.channel, language: input.language, rating: input.rating, comment: input.comment });
    return true;
  });
}
