// `sharewatch review <finding-id> (--confirm | --dismiss --reason … | --exempt --reason … | --history)`:
// an evaluator's decision on a finding, kept with who, when and why; --history shows every decision.
// Decisions take effect in the next scoring run (`sharewatch score`), whose manifest then includes them.
import { AppError } from '../config/errors.ts';
import { recordReview, reviewHistory, type ReviewAction } from '../metrics/reviews.ts';
import { type CliEnv, type GlobalOptions, loadConfig, openStore } from './context.ts';

export interface ReviewOptions extends GlobalOptions {
  confirm?: boolean;
  dismiss?: boolean;
  exempt?: boolean;
  history?: boolean;
  reason?: string;
  note?: string;
  by?: string;
  run?: string;
}

const LABELS: Record<ReviewAction, string> = {
  confirm: '确认',
  dismiss: '撤销',
  exempt: '豁免',
  note: '备注',
};

export async function runReview(cli: CliEnv, findingId: string, options: ReviewOptions): Promise<number> {
  const chosen = (['confirm', 'dismiss', 'exempt', 'note'] as const).filter(
    (d) => options[d] !== undefined && options[d] !== false,
  );
  if (chosen.length + (options.history ? 1 : 0) !== 1) {
    throw new AppError(
      'review_usage',
      '请指定且只指定一项：--confirm、--dismiss、--exempt、--note 或 --history。',
    );
  }
  const unused = [
    options.reason !== undefined && !(chosen[0] === 'dismiss' || chosen[0] === 'exempt') ? '--reason' : null,
    options.history && options.by !== undefined ? '--by' : null,
  ].filter(Boolean);
  if (unused.length > 0)
    throw new AppError(
      'review_usage',
      `${unused.join('、')} 不适用于 ${options.history ? '--history' : `--${chosen[0]}`}：` +
        '--reason 只用于 --dismiss、--exempt（备注写在 --note 中），--by 只用于记录评审。',
    );
  const config = loadConfig(cli, options);
  const db = await openStore(config);
  try {
    if (!options.history) {
      // an explicit --by must name someone (recordReview rejects a blank one); a blank variable falls through
      // nobody to name is refused (recordReview): a decision must say who made it
      const actor = options.by ?? (cli.env.SHAREWATCH_USER?.trim() || cli.env.USER?.trim() || '');
      const entry = await recordReview(db, {
        findingId,
        decision: chosen[0]!,
        reason: chosen[0] === 'note' ? options.note : options.reason,
        actor,
        at: cli.now(),
        run: options.run,
      });
      cli.stdout(
        entry.decision === 'note'
          ? `已为问题 ${findingId} 添加备注（第 ${entry.seq} 条评审记录，${entry.actor}，${entry.at}），不改变其状态。\n`
          : `已${LABELS[entry.decision]}问题 ${findingId}（第 ${entry.seq} 条评审记录，${entry.actor}，${entry.at}），` +
              `依据运行 ${entry.run_id} 中该问题的证据；证据相同的评估运行在重新运行 sharewatch score 后计入得分。\n`,
      );
    }
    const history = await reviewHistory(db, findingId);
    cli.stdout(`问题 ${findingId} 的评审记录：\n`);
    if (history.entries.length === 0) cli.stdout('  （尚无评审记录）\n');
    for (const h of history.entries)
      cli.stdout(`  #${h.seq} ${h.at} ${h.actor} ${LABELS[h.decision]}${h.reason ? `：${h.reason}` : ''}\n`);
    if (history.stale)
      cli.stdout(
        `  注意：含该问题的最近一次评估运行 ${history.run_id} 中，其依据（证据中的记录）已与最近一次决定时不同，该决定不适用于该运行；` +
          (history.applying_seq === null
            ? '问题按原状态计分；请依据该运行重新评审。\n'
            : `该运行适用依据相同的第 ${history.applying_seq} 条评审记录。\n`),
      );
    return 0;
  } finally {
    db.close();
  }
}
