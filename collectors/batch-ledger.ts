// The batch ledger: one `batches` row per file (keyed by content hash, so a file loads once), its rejects,
// and the audit entry, all written inside the load's own transaction so a crash leaves none of them.
// A quarantined file keeps its ledger row until the same content loads, when the old row is cleared.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { localTimestamp } from '../config/local-time.ts';
import { appendAudit } from '../store/audit.ts';
import type { Db } from '../store/db.ts';
import { q } from '../store/schema.ts';
import type { RecordKind } from '../store/record-kinds.ts';
import type { LoadCounts, RejectRow } from './load-file.ts';

export interface LedgerDeps {
  db: Db;
  clock: () => Date;
  actor?: string;
}

export interface BatchInfo {
  batchId: string;
  seq: number;
  hash: string;
  /** The file's own identity: the same file loaded again under other mappings supersedes its earlier load. */
  fileHash?: string | null;
  file: string;
  kind: string | null;
  encoding: string | null;
  /** Columns that look like a misspelt canonical one, with the warning in Chinese; kept as JSON. */
  warnings?: Array<{ column: string; canonical: string; mapped?: boolean; message: string }>;
}

export async function insertRejects(db: Db, batchId: string, filePath: string, rejects: RejectRow[]) {
  if (rejects.length === 0) return;
  const appender = await db.connection.createAppender('rejects');
  for (const r of rejects) {
    appender.appendVarchar(batchId);
    appender.appendVarchar(filePath);
    if (r.line === null) appender.appendNull();
    else appender.appendBigInt(BigInt(r.line));
    for (const v of [r.column, r.value]) {
      if (v === null) appender.appendNull();
      else appender.appendVarchar(v);
    }
    appender.appendVarchar(r.reason);
    if (r.rowText === null) appender.appendNull();
    else appender.appendVarchar(r.rowText);
    appender.endRow();
  }
  appender.closeSync();
}

export async function recordBatch(
  deps: LedgerDeps,
  b: BatchInfo,
  counts: LoadCounts,
  status: 'loaded' | 'quarantined',
  detail: string | null,
): Promise<void> {
  await deps.db.run(
    `insert into batches (batch_id, seq, content_hash, file_path, file_name, kind, encoding, rows_total, rows_loaded,
       rows_rejected, status, detail, loaded_at, file_hash, warnings)
     values ($id, $seq, $hash, $path, $name, $kind, $enc, $total, $loaded, $rejected, $status, $detail, $at::timestamp,
       $file_hash, $warnings)`,
    {
      id: b.batchId,
      seq: b.seq,
      hash: b.hash,
      path: b.file,
      name: path.basename(b.file),
      kind: b.kind,
      enc: b.encoding,
      total: counts.rowsTotal,
      loaded: counts.rowsLoaded,
      rejected: counts.rowsRejected,
      status,
      detail,
      at: localTimestamp(deps.clock()),
      file_hash: b.fileHash ?? null,
      warnings: b.warnings && b.warnings.length > 0 ? JSON.stringify(b.warnings) : null,
    },
  );
  await appendAudit(deps.db, {
    at: deps.clock(),
    actor: deps.actor ?? 'ingest',
    action: status === 'loaded' ? 'batch.loaded' : 'batch.quarantined',
    payload: { batch_id: b.batchId, file: b.file, hash: b.hash, kind: b.kind, ...counts, detail },
  });
}

export async function nextSeq(db: Db): Promise<number> {
  const rows = await db.query<{ seq: number }>(`select nextval('batch_seq') as seq`);
  return rows[0]!.seq;
}

export async function clearQuarantine(db: Db, hash: string): Promise<void> {
  const which = `select batch_id from batches where content_hash = $hash and status = 'quarantined'`;
  await removeKeptCopies(db, which, { hash });
  await db.run(`delete from rejects where batch_id in (${which})`, { hash });
  await db.run(`delete from batches where content_hash = $hash and status = 'quarantined'`, { hash });
}

/** The folder next to a store's file where files set aside whole are kept; null for a store in memory. */
export const quarantineDir = (dbPath: string): string | null =>
  dbPath === ':memory:' ? null : path.join(path.dirname(dbPath), 'quarantine');

/**
 * The copies kept of the quarantined batches `which` selects (their reject's row_text, load-batch.ts) go with
 * them: what they held is loaded now, or in force. Only files in the store's quarantine folder are removed.
 */
async function removeKeptCopies(db: Db, which: string, params: Record<string, string>): Promise<void> {
  const dir = quarantineDir(db.path);
  if (dir === null) return;
  const kept = await db.query<{ row_text: string }>(
    `select row_text from rejects where line is null and row_text is not null and batch_id in (${which})`,
    params,
  );
  for (const { row_text: copy } of kept) if (path.dirname(copy) === dir) await rm(copy, { force: true });
}

/**
 * A file sent again that is the load in force (a duplicate) makes the quarantines of the same file (its path)
 * since that load obsolete: a mapping changed and changed back, or an edit undone. They are cleared, as a
 * quarantine is when its own content loads, so that no score or export asks to correct what is in force.
 */
export async function clearQuarantinesSince(db: Db, loadedHash: string, filePath: string): Promise<void> {
  const since = `select batch_id from batches
    where status = 'quarantined' and file_path = $path
      and seq > (select max(seq) from batches where content_hash = $hash and status = 'loaded')`;
  await db.withTransaction(async () => {
    await removeKeptCopies(db, since, { path: filePath, hash: loadedHash });
    await db.run(`delete from rejects where batch_id in (${since})`, { path: filePath, hash: loadedHash });
    await db.run(`delete from batches where batch_id in (${since})`, { path: filePath, hash: loadedHash });
  });
}

/**
 * Immutable events already stored by an earlier batch are not stored again; returns how many of this
 * batch's rows were such re-sent events (they count as loaded: the record is in the database). An earlier
 * load of the same file (fileHash) does not hold them: this load supersedes it (a corrected mapping), so its
 * events are this load's to store; nor does a load already superseded.
 */
export async function dropResent(
  db: Db,
  kind: RecordKind,
  batchId: string,
  fileHash: string | null,
): Promise<number> {
  const key = q(kind.key[0]!);
  const result = await db.run(
    `delete from ${kind.table} where _batch_id = $batch and ${key} in (
       select ${key} from ${kind.table} where _batch_id <> $batch
         and _batch_id not in (select batch_id from superseded_batches)
         and _batch_id not in (select batch_id from batches where file_hash = $file_hash))`,
    { batch: batchId, file_hash: fileHash },
  );
  return Number(result.rowsChanged);
}

export const resentDetail = (n: number): string | null =>
  n > 0 ? `其中 ${n} 行是先前文件已载入的同一事件（记录标识相同），未重复存储` : null;
