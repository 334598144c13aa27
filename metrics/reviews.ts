// Evaluator decisions on findings: confirm, dismiss (reason required) or exempt (reason required), kept as an
// append-only log (who, when, why) and mirrored into the hash-chained audit log. The latest decision on a
// finding counts; a scoring run pins the log up to its last sequence number, so re-scoring is reproducible.
import { createHash } from 'node:crypto';
import { AppError } from '../config/errors.ts';
import { localTimestamp } from '../config/local-time.ts';
import { appendAudit } from '../store/audit.ts';
import type { Db } from '../store/db.ts';

export const DECISIONS = ['confirm', 'dismiss', 'exempt'] as const;
export type Decision = (typeof DECISIONS)[number];

export interface ReviewEntry {
  seq: number;
  finding_id: string;
  decision: Decision;
  reason: string | null;
  actor: string;
  at: string;
}

export async function recordReview(
  db: Db,
  entry: { findingId: string; decision: Decision; reason?: string; actor: string; at: Date },
): Promise<ReviewEntry> {
  const reason = entry.reason?.trim() || null;
  if (entry.decision !== 'confirm' && !reason) {
    throw new AppError(
      'review_reason_required',
      `${entry.decision === 'dismiss' ? '撤销' : '豁免'}问题必须填写理由（--reason）。`,
    );
  }
  const actor = entry.actor.trim();
  if (!actor)
    throw new AppError('review_actor_required', '评审人不能为空（--by 或环境变量 SHAREWATCH_USER）。');
  const status = await latestFindingStatus(db, entry.findingId);
  if (status === 'data_gap' || status === 'pending_calendar') {
    const why =
      status === 'data_gap' ? '依赖的平台记录缺失（数据缺失）' : '期限落入日历未覆盖的年份（待补充日历）';
    throw new AppError(
      'review_not_countable',
      `问题 ${entry.findingId} 在最近一次评估中${why}，不计入得分，无需评审；补齐后重新评估再评审。`,
    );
  }
  return db.withTransaction(async () => {
    const last = await db.query<{ seq: number | null }>('select max(seq)::integer as seq from reviews');
    const seq = (last[0]?.seq ?? 0) + 1;
    const at = localTimestamp(entry.at);
    await db.run('insert into reviews values ($seq, $id, $decision, $reason, $actor, $at::timestamp)', {
      seq,
      id: entry.findingId,
      decision: entry.decision,
      reason,
      actor,
      at,
    });
    await appendAudit(db, {
      at: entry.at,
      actor,
      action: `finding.${entry.decision}`,
      payload: { seq, finding_id: entry.findingId, reason },
    });
    return { seq, finding_id: entry.findingId, decision: entry.decision, reason, actor, at };
  });
}

/** The finding's status in the latest run that has it; an unknown id is an error. */
async function latestFindingStatus(db: Db, findingId: string): Promise<string> {
  const rows = await db.query<{ status: string }>(
    `select f.status from findings f join runs r using (run_id)
     where f.finding_id = $id order by r.seq desc limit 1`,
    { id: findingId },
  );
  if (rows.length === 0) throw new AppError('finding_unknown', `没有编号为 ${findingId} 的问题。`);
  return rows[0]!.status;
}

export async function reviewHistory(db: Db, findingId: string): Promise<ReviewEntry[]> {
  await latestFindingStatus(db, findingId);
  return db.query<ReviewEntry>(
    `select seq::integer as seq, finding_id, decision, reason, actor, strftime("at", '%Y-%m-%d %H:%M:%S') as "at"
     from reviews where finding_id = $id order by seq`,
    { id: findingId },
  );
}

/** The review log up to its latest entry: its sequence number and a hash of its content. */
export async function reviewLogState(db: Db): Promise<{ seq: number; hash: string }> {
  const rows = await db.query<ReviewEntry>(
    `select seq::integer as seq, finding_id, decision, reason, actor, strftime("at", '%Y-%m-%d %H:%M:%S') as "at" from reviews order by seq`,
  );
  const hash = createHash('sha256').update(JSON.stringify(rows)).digest('hex');
  return { seq: rows.length > 0 ? rows[rows.length - 1]!.seq : 0, hash };
}

/** The latest decision per finding among reviews with seq <= upTo. */
export async function decisionsUpTo(db: Db, upTo: number): Promise<Map<string, Decision>> {
  const rows = await db.query<{ finding_id: string; decision: Decision }>(
    `select finding_id, arg_max(decision, seq) as decision from reviews where seq <= $upto group by finding_id`,
    { upto: upTo },
  );
  return new Map(rows.map((r) => [r.finding_id, r.decision]));
}

/** What a finding's status becomes after the evaluator's decision, for exports and scores. */
export function effectiveStatus(status: string, decision: Decision | undefined): string {
  if (status === 'ok' || status === 'pending_calendar' || status === 'data_gap' || !decision) return status;
  return { confirm: 'confirmed', dismiss: 'dismissed', exempt: 'exempted' }[decision];
}
