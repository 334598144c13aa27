// One file, one transaction: its rows, rejects, ledger row and audit entry commit together or not at all,
// so a crash mid-file leaves none of it. Each function here is one way a file can end: loaded (fast or
// careful path), loaded empty, loaded as a data sample, or quarantined whole with its reason.
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  clearQuarantine,
  quarantineDir,
  dropResent,
  insertRejects,
  nextSeq,
  recordBatch,
  resentDetail,
  type BatchInfo,
  type LedgerDeps,
} from './batch-ledger.ts';
import { loadCareful, loadCsvFast, NeedsCarefulPath, type LoadCounts, type LoadTarget } from './load-file.ts';
import { loadDataSample } from './load-sample.ts';
import type { FileFormat } from './read-header.ts';

export type BatchCounts = LoadCounts & { resent: number };

/** Loads a file of a known kind; the fast attempt returns null (rolled back) when it needs the careful path. */
export async function loadInTransaction(
  deps: LedgerDeps,
  target: LoadTarget,
  batch: BatchInfo,
  fast: boolean,
  report: (pct: number) => void,
): Promise<BatchCounts | null> {
  const { db } = deps;
  const timer = setInterval(() => {
    const percent = db.connection.progress.percentage;
    if (percent >= 0) report(percent);
  }, 500);
  try {
    return await db.withTransaction(async () => {
      await clearQuarantine(db, batch.hash);
      const loaded = fast ? { ...(await loadCsvFast(target)), rejects: [] } : await loadCareful(target);
      await insertRejects(db, target.batchId, target.filePath, loaded.rejects);
      const resent = target.kind.immutable
        ? await dropResent(db, target.kind, target.batchId, batch.fileHash ?? null)
        : 0;
      await recordBatch(deps, batch, loaded, 'loaded', resentDetail(resent));
      const { rowsTotal, rowsLoaded, rowsRejected } = loaded;
      return { rowsTotal, rowsLoaded, rowsRejected, resent };
    });
  } catch (error) {
    if (fast && error instanceof NeedsCarefulPath) return null;
    throw error;
  } finally {
    clearInterval(timer);
  }
}

/** A file with no lines at all whose name says its kind: a batch of zero rows, so it too loads once. */
export async function loadEmptyBatch(deps: LedgerDeps, batch: BatchInfo): Promise<void> {
  await deps.db.withTransaction(async () => {
    await clearQuarantine(deps.db, batch.hash);
    const counts = { rowsTotal: 0, rowsLoaded: 0, rowsRejected: 0 };
    await recordBatch(deps, batch, counts, 'loaded', '文件为空：没有表头和数据行');
  });
}

export async function loadSampleBatch(
  deps: LedgerDeps,
  batch: BatchInfo,
  source: { utf8Path: string; format: FileFormat; header: string[]; resourceCode: string },
): Promise<LoadCounts> {
  const { db } = deps;
  return db.withTransaction(async () => {
    await clearQuarantine(db, batch.hash);
    const loaded = await loadDataSample({ db, ...source, batchId: batch.batchId, seq: batch.seq });
    await insertRejects(db, batch.batchId, batch.file, loaded.rejects);
    await recordBatch(deps, batch, loaded, 'loaded', null);
    return loaded;
  });
}

/**
 * Sets a whole file aside: one reject without a line, and its data rows all counted as rejected. None of its
 * rows is in the store, so the file itself is kept, as it was sent, under the database's folder
 * (quarantine/<batch id>_<name>), and the reject names that copy (row_text): an inbox emptied after the
 * ingest loses nothing. A store in memory keeps no copy.
 */
export async function quarantineBatch(
  deps: LedgerDeps,
  info: Omit<BatchInfo, 'batchId' | 'seq'>,
  reason: string,
  rows: number,
): Promise<void> {
  const batchId = info.hash.slice(0, 16);
  await deps.db.withTransaction(async () => {
    // the same file set aside before: its ledger row and kept copy go, then it is kept again
    await clearQuarantine(deps.db, info.hash);
    const kept = await keepCopy(deps.db.path, batchId, info.file);
    const batch: BatchInfo = { ...info, batchId, seq: await nextSeq(deps.db) };
    await insertRejects(deps.db, batchId, info.file, [
      { line: null, column: null, value: null, reason, rowText: kept },
    ]);
    const counts = { rowsTotal: rows, rowsLoaded: 0, rowsRejected: rows };
    await recordBatch(deps, batch, counts, 'quarantined', reason);
  });
}

async function keepCopy(dbPath: string, batchId: string, file: string): Promise<string | null> {
  const dir = quarantineDir(dbPath);
  if (dir === null) return null;
  const copy = path.join(dir, `${batchId}_${path.basename(file)}`);
  await mkdir(dir, { recursive: true });
  await copyFile(file, copy);
  return copy;
}
