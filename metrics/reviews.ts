// Evaluator decisions on findings: confirm, dismiss (reason required) or exempt (reason required), and notes
// (annotations that decide nothing), kept as an append-only log (who, when, why) and mirrored into the
// hash-chained audit log. The latest decision made on the grounds a run's finding has counts in that run; a
// scoring run pins the log up to its last sequence number, so re-scoring is reproducible.
import { createHash } from 'node:crypto';
import { AppError } from '../config/errors.ts';
import { localTimestamp } from '../config/local-time.ts';
import { appendAudit } from '../store/audit.ts';
import type { RuleId } from '../config/rule-ids.ts';
import type { Db } from '../store/db.ts';
import { statesNothing } from '../store/schema.ts';
import type { AnyRuleDefinition } from './rule-definition.ts';
import { loadRuleDefinitions } from './rule-registry.ts';

export const DECISIONS = ['confirm', 'dismiss', 'exempt'] as const;
export type Decision = (typeof DECISIONS)[number];
/** What a review log entry records: a decision, or a note on the finding that changes nothing. */
export type ReviewAction = Decision | 'note';

export interface ReviewEntry {
  seq: number;
  finding_id: string;
  decision: ReviewAction;
  reason: string | null;
  actor: string;
  at: string;
}

/**
 * Records a decision (or note) on a finding, on the grounds the finding has in `entry.run` (the run the
 * evaluator reviewed; default the latest run that holds the finding), and returns it with that run's id.
 */
export async function recordReview(
  db: Db,
  entry: {
    findingId: string;
    decision: ReviewAction;
    reason?: string;
    actor: string;
    at: Date;
    run?: string;
  },
): Promise<ReviewEntry & { run_id: string }> {
  const reason = entry.reason?.trim() || null;
  if (entry.decision === 'note' && statesNothing(reason))
    throw new AppError('review_note_empty', '备注内容不能为空（--note）。');
  // a reason must say something: 无, N/A or a line of invisible marks is no reason (as sw_stated reads records)
  if ((entry.decision === 'dismiss' || entry.decision === 'exempt') && statesNothing(reason)) {
    const what = entry.decision === 'dismiss' ? '撤销' : '豁免';
    throw new AppError(
      'review_reason_required',
      reason
        ? `${what}问题必须说明理由（--reason），“${reason}”没有说明任何内容。`
        : `${what}问题必须填写理由（--reason）。`,
    );
  }
  const actor = entry.actor.trim();
  if (!actor)
    throw new AppError('review_actor_required', '评审人不能为空（--by，或环境变量 SHAREWATCH_USER、USER）。');
  const { status, grounds, run_id } = await reviewedFinding(db, entry.findingId, entry.run);
  if (entry.decision !== 'note' && (status === 'data_gap' || status === 'pending_calendar')) {
    const why =
      status === 'data_gap'
        ? '依赖的平台记录缺失（数据缺失）'
        : '期限或答复日期落入日历未覆盖的年份（待补充日历）';
    throw new AppError(
      'review_not_countable',
      `问题 ${entry.findingId} 在运行 ${run_id} 中${why}，不计入得分，无需评审；补齐后重新评估再评审。`,
    );
  }
  return db.withTransaction(async () => {
    const last = await db.query<{ seq: number | null }>('select max(seq)::integer as seq from reviews');
    const seq = (last[0]?.seq ?? 0) + 1;
    const at = localTimestamp(entry.at);
    await db.run(
      `insert into reviews (seq, finding_id, decision, reason, actor, "at", grounds)
       values ($seq, $id, $decision, $reason, $actor, $at::timestamp, $grounds)`,
      { seq, id: entry.findingId, decision: entry.decision, reason, actor, at, grounds },
    );
    await appendAudit(db, {
      at: entry.at,
      actor,
      action: `finding.${entry.decision}`,
      payload: { seq, finding_id: entry.findingId, reason, grounds, run_id },
    });
    return { seq, finding_id: entry.findingId, decision: entry.decision, reason, actor, at, run_id };
  });
}

/**
 * Evidence keys that say which version of a record was read, not what it says: the same record re-sent in a
 * later export (another batch), or a catalog entry unchanged in a later snapshot, is the same ground.
 */
const VERSION_KEYS = new Set(['batch_id', 'snapshot_date', 'catalog_snapshot_date']);

type GroundedFinding = { rule_id: string; dept_code: string; evidence: string };

function digestGrounds(records: Record<string, unknown>, keys: Iterable<string>, dept: string): string {
  const picked: Array<[string, unknown]> = [...keys].sort().map((k) => [k, records[k] ?? null]);
  picked.push(['(charged department)', dept]);
  return createHash('sha256').update(JSON.stringify(picked)).digest('hex').slice(0, 16);
}

const evidenceRecords = (finding: GroundedFinding): Record<string, unknown> =>
  (JSON.parse(finding.evidence) as { records?: Record<string, unknown> }).records ?? {};

/** Every evidence key but the version markers of VERSION_KEYS. */
const allGroundKeys = (records: Record<string, unknown>): string[] =>
  Object.keys(records).filter((k) => !VERSION_KEYS.has(k));

/**
 * The digest of what a decision on a finding rests on: the department charged, and the rule's reviewGrounds
 * keys of the evidence records (by default every key but the version markers of VERSION_KEYS), so that a
 * decision covers the records it was made on and no others, and does not follow the finding to another
 * department when a corrected export reassigns it (the finding id names no department).
 */
export function findingGrounds(
  definitions: Map<RuleId, AnyRuleDefinition>,
  finding: GroundedFinding,
): string {
  const records = evidenceRecords(finding);
  const keys = definitions.get(finding.rule_id as RuleId)?.reviewGrounds ?? allGroundKeys(records);
  return digestGrounds(records, keys, finding.dept_code);
}

/**
 * Whether a decision's stored grounds are the finding's grounds. A digest of every evidence key also matches
 * (it is what a rule that has since named its reviewGrounds stored): every key unchanged means the named ones
 * are unchanged too, so a decision made before a rule narrowed its grounds keeps applying.
 */
export function groundsFit(
  definitions: Map<RuleId, AnyRuleDefinition>,
  finding: GroundedFinding,
  stored: string | null,
): boolean {
  if (stored === null || stored === findingGrounds(definitions, finding)) return true;
  if (!definitions.get(finding.rule_id as RuleId)?.reviewGrounds) return false;
  const records = evidenceRecords(finding);
  return stored === digestGrounds(records, allGroundKeys(records), finding.dept_code);
}

/**
 * The finding as the given run holds it (the run the evaluator reviewed), else as the latest run that has it:
 * its status, grounds and run. An unknown id, or one the given run does not hold, is an error.
 */
async function reviewedFinding(
  db: Db,
  findingId: string,
  runId?: string,
): Promise<{
  status: string;
  grounds: string;
  run_id: string;
  /** Whether a decision's stored grounds are this finding's (groundsFit). */
  fits: (stored: string | null) => boolean;
}> {
  const rows = await db.query<{
    status: string;
    rule_id: string;
    dept_code: string;
    evidence: string;
    run_id: string;
  }>(
    `select f.status, f.rule_id, f.dept_code, f.evidence::varchar as evidence, f.run_id
     from findings f join runs r using (run_id)
     where f.finding_id = $id and ($run is null or f.run_id = $run) order by r.seq desc limit 1`,
    { id: findingId, run: runId ?? null },
  );
  const found = rows[0];
  if (!found) {
    if (runId === undefined) throw new AppError('finding_unknown', `没有编号为 ${findingId} 的问题。`);
    const [known] = await db.query<{ n: number }>(
      'select count(*)::integer as n from runs where run_id = $run',
      {
        run: runId,
      },
    );
    throw new AppError(
      'finding_unknown',
      known!.n === 0
        ? `没有运行编号为 ${runId} 的评估运行。`
        : `运行 ${runId} 中没有编号为 ${findingId} 的问题。`,
    );
  }
  const definitions = await loadRuleDefinitions();
  return {
    status: found.status,
    grounds: findingGrounds(definitions, found),
    run_id: found.run_id,
    fits: (stored) => groundsFit(definitions, found, stored),
  };
}

export interface ReviewHistory {
  entries: ReviewEntry[];
  /** The latest decision no longer applies: the finding's grounds changed in the latest run. */
  stale: boolean;
  /** The decision that applies in the latest run holding the finding (the latest on its grounds), if any. */
  applying_seq: number | null;
  /** That run. */
  run_id: string;
}

export async function reviewHistory(db: Db, findingId: string): Promise<ReviewHistory> {
  const { fits: fitsGrounds, run_id } = await reviewedFinding(db, findingId);
  const entries = await db.query<ReviewEntry & { grounds: string | null }>(
    `select seq::integer as seq, finding_id, decision, reason, actor, strftime("at", '%Y-%m-%d %H:%M:%S') as "at",
       grounds
     from reviews where finding_id = $id order by seq`,
    { id: findingId },
  );
  const decisions = entries.filter((e) => e.decision !== 'note');
  const fits = (e: { grounds: string | null }) => fitsGrounds(e.grounds);
  const last = decisions.at(-1);
  return {
    entries: entries.map(({ grounds: _, ...e }) => e),
    stale: last !== undefined && !fits(last),
    applying_seq: decisions.filter(fits).at(-1)?.seq ?? null,
    run_id,
  };
}

/** The review log entries (notes too, unless `decisionsOnly`) up to `upTo` (all: null), in order. */
function reviewLogRows(db: Db, upTo: number | null, decisionsOnly: boolean): Promise<ReviewEntry[]> {
  return db.query<ReviewEntry>(
    `select seq::integer as seq, finding_id, decision, reason, actor, strftime("at", '%Y-%m-%d %H:%M:%S') as "at",
       grounds
     from reviews
     where ($upto is null or seq <= $upto) and (not $decisions_only or decision <> 'note')
     order by seq`,
    { upto: upTo, decisions_only: decisionsOnly },
  );
}

const hashRows = (rows: ReviewEntry[]): string =>
  createHash('sha256').update(JSON.stringify(rows)).digest('hex');

/**
 * The state of the review log a run pins: the sequence number of its latest decision and a hash of the
 * decisions up to it. Notes are left out: they decide nothing, so adding one must not change the manifest id
 * of the next run (and with it every export of the same data).
 */
export async function reviewLogState(db: Db): Promise<{ seq: number; hash: string }> {
  const rows = await reviewLogRows(db, null, true);
  return { seq: rows.length > 0 ? rows[rows.length - 1]!.seq : 0, hash: hashRows(rows) };
}

/**
 * The hash versions up to 2026-11-21 stored with a run: of the whole log up to `upTo`, notes included. verify
 * accepts it for runs made then, whose review log is unaltered.
 */
export async function legacyReviewLogHash(db: Db, upTo: number): Promise<string> {
  return hashRows(await reviewLogRows(db, upTo, false));
}

/**
 * The decisions that apply to a run's findings: per finding, the latest among reviews with seq <= upTo that
 * was made on the grounds the finding has in this run (a decision recorded before grounds were kept applies
 * as it did). A later decision on other grounds (the same finding in another period's run, or after its
 * records changed) does not cancel it: a monthly and a yearly run each keep the decision made on their
 * evidence.
 */
export interface AppliedDecision {
  decision: Decision;
  actor: string;
  at: string;
  reason: string | null;
}

export async function decisionsForRun(
  db: Db,
  runId: string,
  upTo: number,
): Promise<Map<string, AppliedDecision>> {
  const rows = await db.query<
    AppliedDecision & {
      finding_id: string;
      rule_id: string;
      dept_code: string;
      evidence: string;
      grounds: string | null;
    }
  >(
    `with decisions as (
       select finding_id, seq, decision, grounds, actor, strftime("at", '%Y-%m-%d %H:%M:%S') as "at", reason
       from reviews where seq <= $upto and decision <> 'note'
     )
     select f.finding_id, f.rule_id, f.dept_code, f.evidence::varchar as evidence, l.decision, l.grounds, l.actor, l."at",
       l.reason
     from findings f join decisions l on l.finding_id = f.finding_id
     where f.run_id = $run
     order by f.finding_id, l.seq desc`,
    { run: runId, upto: upTo },
  );
  const definitions = await loadRuleDefinitions();
  const applying = new Map<string, AppliedDecision>();
  // newest first per finding: the first decision on matching grounds applies
  for (const r of rows)
    if (!applying.has(r.finding_id) && groundsFit(definitions, r, r.grounds))
      applying.set(r.finding_id, { decision: r.decision, actor: r.actor, at: r.at, reason: r.reason });
  return applying;
}

/** What a finding's status becomes after the evaluator's decision, for exports and scores. */
export function effectiveStatus(status: string, decision: Decision | undefined): string {
  if (status === 'ok' || status === 'pending_calendar' || status === 'data_gap' || !decision) return status;
  return { confirm: 'confirmed', dismiss: 'dismissed', exempt: 'exempted' }[decision];
}
