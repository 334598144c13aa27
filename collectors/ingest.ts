// Ingest: every file in an inbox (or the files listed) into DuckDB, each file once (content hash in the
// batch ledger) and in one transaction, so a crash leaves none of a file. Files that cannot be read at
// all (bad encoding, unknown kind, missing required columns) are quarantined whole with their reason.
import { readdir, readFile, stat, rm, open } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import type { AppConfig } from '../config/app-config.ts';
import type { Db } from '../store/db.ts';
import { appendAudit } from '../store/audit.ts';
import { DATA_SAMPLE_KIND, recordKind, type RecordKind } from '../store/record-kinds.ts';
import { prepareValueMap } from './convert-sql.ts';
import { kindFromFileName, kindFromHeader, planHeader, sampleResourceCode } from './detect-kind.ts';
import { DecodeError, inspectFile, type InspectedFile } from './inspect-file.ts';
import {
  loadCareful,
  loadCsvFast,
  NeedsCarefulPath,
  type LoadTarget,
  type RejectRow,
  type LoadCounts,
} from './load-file.ts';
import { loadDataSample } from './load-sample.ts';

export interface IngestDeps {
  db: Db;
  config: AppConfig;
  clock: () => Date;
  tmpDir: string;
  actor?: string;
  onProgress?: (event: ProgressEvent) => void;
}

export type ProgressEvent =
  | { type: 'file-start'; index: number; total: number; path: string; bytes: number }
  | { type: 'file-progress'; index: number; total: number; path: string; percent: number }
  | { type: 'file-done'; index: number; total: number; result: FileResult };

export interface FileResult {
  path: string;
  kind: string | null;
  rows_loaded: number;
  rows_rejected: number;
  duplicate: boolean;
  status: 'loaded' | 'duplicate' | 'quarantined';
  encoding: string | null;
  reason: string | null;
}

const DATA_EXT = /\.(csv|jsonl|ndjson)(\.gz)?$/i;

class Quarantine extends Error {}

/** Lists data files under the given paths (folders recursively), sorted by name for a stable order. */
export async function listInputFiles(paths: string[]): Promise<{ files: string[]; ignored: string[] }> {
  const files: string[] = [];
  const ignored: string[] = [];
  const visit = async (p: string): Promise<void> => {
    const info = await stat(p);
    if (info.isDirectory()) {
      for (const name of (await readdir(p)).sort()) await visit(path.join(p, name));
    } else if (DATA_EXT.test(p)) files.push(p);
    else ignored.push(p);
  };
  for (const p of paths) await visit(path.resolve(p));
  return { files, ignored };
}

async function readHeader(file: InspectedFile, format: 'csv' | 'jsonl'): Promise<string[]> {
  if (format === 'jsonl') {
    const keys = new Set<string>();
    for (const line of (await readFile(file.utf8Path, 'utf8')).split('\n')) {
      try {
        const parsed: unknown = JSON.parse(line);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
          Object.keys(parsed).forEach((k) => keys.add(k));
      } catch {
        // a bad line is rejected with its line number by the loader
      }
    }
    return [...keys];
  }
  const handle = await open(file.utf8Path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(256 * 1024), 0, 256 * 1024, 0);
    const text = buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
    const rows = parseCsv(firstLine, { relax_quotes: false }) as string[][];
    const header = rows[0] ?? [];
    if (header.length === 0) throw new Quarantine('文件为空或缺少表头行');
    const seen = new Set<string>();
    for (const name of header) {
      if (seen.has(name.trim())) throw new Quarantine(`表头第 1 行有重复的列名“${name.trim()}”`);
      seen.add(name.trim());
    }
    return header;
  } catch (error) {
    if (error instanceof Quarantine) throw error;
    throw new Quarantine(`无法读取表头行（第 1 行）：${(error as Error).message}`);
  } finally {
    await handle.close();
  }
}

function formatOf(file: string): 'csv' | 'jsonl' {
  return /\.(jsonl|ndjson)(\.gz)?$/i.test(file) ? 'jsonl' : 'csv';
}

async function countLines(file: string): Promise<number> {
  try {
    const text = await readFile(file);
    let n = 0;
    for (const byte of text) if (byte === 0x0a) n++;
    return Math.max(0, n - (text.length > 0 && text[text.length - 1] !== 0x0a ? 0 : 1));
  } catch {
    return 0;
  }
}

async function insertRejects(db: Db, batchId: string, filePath: string, rejects: RejectRow[]): Promise<void> {
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
    appender.endRow();
  }
  appender.closeSync();
}

async function recordBatch(
  deps: IngestDeps,
  b: {
    batchId: string;
    seq: number;
    hash: string;
    file: string;
    kind: string | null;
    encoding: string | null;
  },
  counts: LoadCounts,
  status: 'loaded' | 'quarantined',
  detail: string | null,
): Promise<void> {
  await deps.db.run(
    `insert into batches values ($id, $seq, $hash, $path, $name, $kind, $enc, $total, $loaded, $rejected, $status, $detail, $at::timestamp)`,
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
      at: deps.clock().toISOString().replace('T', ' ').replace('Z', ''),
    },
  );
  await appendAudit(deps.db, {
    at: deps.clock(),
    actor: deps.actor ?? 'ingest',
    action: status === 'loaded' ? 'batch.loaded' : 'batch.quarantined',
    payload: { batch_id: b.batchId, file: b.file, hash: b.hash, kind: b.kind, ...counts, detail },
  });
}

async function ingestOne(deps: IngestDeps, file: string, report: (pct: number) => void): Promise<FileResult> {
  const { db, config } = deps;
  const base: FileResult = {
    path: file,
    kind: null,
    rows_loaded: 0,
    rows_rejected: 0,
    duplicate: false,
    status: 'loaded',
    encoding: null,
    reason: null,
  };
  let inspected: InspectedFile;
  try {
    inspected = await inspectFile(file, deps.tmpDir);
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    const info = { hash: error.hash, encoding: null, kind: kindFromFileName(path.basename(file)) };
    return quarantine(deps, base, info, error.message, file);
  }
  const already = await db.query<{ batch_id: string }>(
    `select batch_id from batches where content_hash = $hash and status = 'loaded'`,
    { hash: inspected.hash },
  );
  const fileName = path.basename(file);
  if (already.length > 0) {
    const previous = await db.query<{ kind: string }>(`select kind from batches where batch_id = $id`, {
      id: already[0]!.batch_id,
    });
    return {
      ...base,
      kind: previous[0]?.kind ?? null,
      duplicate: true,
      status: 'duplicate',
      encoding: inspected.encoding,
    };
  }
  const format = formatOf(file);
  const info = {
    hash: inspected.hash,
    encoding: inspected.encoding as string,
    kind: kindFromFileName(fileName),
  };
  try {
    const header = await readHeader(inspected, format);
    if (info.kind === DATA_SAMPLE_KIND) {
      const resourceCode = sampleResourceCode(fileName);
      if (!resourceCode) throw new Quarantine('data_sample 文件名应为 data_sample_<资源编码>.csv');
      return await loadSampleFile(deps, base, inspected, header, resourceCode);
    }
    const kind = info.kind ? recordKind(info.kind) : kindFromHeader(header, config.mappings);
    if (!kind) {
      throw new Quarantine(
        '无法判断记录类型：文件名没有已知前缀（如 share_requests_），表头也不符合任何一种记录的必需列',
      );
    }
    info.kind = kind.kind;
    const plan = planHeader(kind, header, config.mappings[kind.kind]);
    if (plan.missingRequired.length > 0) {
      throw new Quarantine(
        `第 1 行表头缺少必需的列：${plan.missingRequired.join('、')}（${kind.kind} 文件应包含这些列）`,
      );
    }
    const seq = await nextSeq(db);
    const batchId = inspected.hash.slice(0, 16);
    await prepareValueMap(db, kind, config.mappings[kind.kind]);
    const target: LoadTarget = {
      db,
      kind,
      plan,
      header,
      utf8Path: inspected.utf8Path,
      filePath: file,
      batchId,
      seq,
      format,
    };
    const fast = format === 'csv' ? await tryFast(deps, target, inspected, report) : null;
    if (fast)
      return {
        ...base,
        kind: kind.kind,
        rows_loaded: fast.rowsLoaded,
        rows_rejected: 0,
        encoding: inspected.encoding,
      };
    const counts = await db.withTransaction(async () => {
      await clearQuarantine(db, inspected.hash);
      const loaded = await loadCareful(target);
      await insertRejects(db, batchId, file, loaded.rejects);
      if (kind.immutable) await dropResent(db, kind, batchId);
      await recordBatch(
        deps,
        { batchId, seq, hash: inspected.hash, file, kind: kind.kind, encoding: inspected.encoding },
        loaded,
        'loaded',
        null,
      );
      return loaded;
    });
    return {
      ...base,
      kind: kind.kind,
      rows_loaded: counts.rowsLoaded,
      rows_rejected: counts.rowsRejected,
      encoding: inspected.encoding,
    };
  } catch (error) {
    if (error instanceof Quarantine) return quarantine(deps, base, info, error.message, inspected.utf8Path);
    throw error;
  } finally {
    if (inspected.utf8Path !== file) await rm(inspected.utf8Path, { force: true });
  }
}

async function tryFast(
  deps: IngestDeps,
  target: LoadTarget,
  inspected: InspectedFile,
  report: (pct: number) => void,
): Promise<LoadCounts | null> {
  const { db } = deps;
  const timer = setInterval(() => report(db.connection.progress.percentage), 500);
  try {
    return await db.withTransaction(async () => {
      await clearQuarantine(db, inspected.hash);
      const counts = await loadCsvFast(target);
      if (target.kind.immutable) await dropResent(db, target.kind, target.batchId);
      await recordBatch(
        deps,
        {
          batchId: target.batchId,
          seq: target.seq,
          hash: inspected.hash,
          file: target.filePath,
          kind: target.kind.kind,
          encoding: inspected.encoding,
        },
        counts,
        'loaded',
        null,
      );
      return counts;
    });
  } catch (error) {
    if (error instanceof NeedsCarefulPath) return null;
    throw error;
  } finally {
    clearInterval(timer);
  }
}

async function loadSampleFile(
  deps: IngestDeps,
  base: FileResult,
  inspected: InspectedFile,
  header: string[],
  resourceCode: string,
): Promise<FileResult> {
  const { db } = deps;
  const seq = await nextSeq(db);
  const batchId = inspected.hash.slice(0, 16);
  const counts = await db.withTransaction(async () => {
    await clearQuarantine(db, inspected.hash);
    const loaded = await loadDataSample({
      db,
      utf8Path: inspected.utf8Path,
      header,
      resourceCode,
      batchId,
      seq,
    });
    await insertRejects(db, batchId, inspected.path, loaded.rejects);
    await recordBatch(
      deps,
      {
        batchId,
        seq,
        hash: inspected.hash,
        file: inspected.path,
        kind: DATA_SAMPLE_KIND,
        encoding: inspected.encoding,
      },
      loaded,
      'loaded',
      null,
    );
    return loaded;
  });
  return {
    ...base,
    kind: DATA_SAMPLE_KIND,
    rows_loaded: counts.rowsLoaded,
    rows_rejected: counts.rowsRejected,
    encoding: inspected.encoding,
  };
}

/** Immutable events already stored by an earlier batch are not stored again. */
async function dropResent(db: Db, kind: RecordKind, batchId: string): Promise<void> {
  const key = kind.key[0]!;
  await db.run(
    `delete from ${kind.table} where _batch_id = $batch and "${key}" in (select "${key}" from ${kind.table} where _batch_id <> $batch)`,
    { batch: batchId },
  );
}

async function nextSeq(db: Db): Promise<number> {
  const rows = await db.query<{ seq: number }>(`select nextval('batch_seq') as seq`);
  return rows[0]!.seq;
}

async function clearQuarantine(db: Db, hash: string): Promise<void> {
  await db.run(
    `delete from rejects where batch_id in (select batch_id from batches where content_hash = $hash and status = 'quarantined')`,
    { hash },
  );
  await db.run(`delete from batches where content_hash = $hash and status = 'quarantined'`, { hash });
}

async function quarantine(
  deps: IngestDeps,
  base: FileResult,
  info: { hash: string; encoding: string | null; kind: string | null },
  reason: string,
  countFrom: string,
): Promise<FileResult> {
  const rows = await countLines(countFrom);
  const batchId = info.hash.slice(0, 16);
  await deps.db.withTransaction(async () => {
    await clearQuarantine(deps.db, info.hash);
    const seq = await nextSeq(deps.db);
    await insertRejects(deps.db, batchId, base.path, [{ line: null, column: null, value: null, reason }]);
    await recordBatch(
      deps,
      { batchId, seq, hash: info.hash, file: base.path, kind: info.kind, encoding: info.encoding },
      { rowsTotal: rows, rowsLoaded: 0, rowsRejected: rows },
      'quarantined',
      reason,
    );
  });
  return {
    ...base,
    kind: info.kind,
    rows_rejected: rows,
    status: 'quarantined',
    encoding: info.encoding,
    reason,
  };
}

export async function ingestPaths(deps: IngestDeps, paths: string[]): Promise<FileResult[]> {
  const { files } = await listInputFiles(paths);
  const results: FileResult[] = [];
  for (const [index, file] of files.entries()) {
    const bytes = (await stat(file)).size;
    deps.onProgress?.({ type: 'file-start', index, total: files.length, path: file, bytes });
    const result = await ingestOne(deps, file, (percent) =>
      deps.onProgress?.({ type: 'file-progress', index, total: files.length, path: file, percent }),
    );
    results.push(result);
    deps.onProgress?.({ type: 'file-done', index, total: files.length, result });
  }
  return results;
}
