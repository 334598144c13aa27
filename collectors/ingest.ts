// Ingest: every file in an inbox (or the files listed) into DuckDB, each file once (content hash in the
// batch ledger) and in one transaction, so a crash leaves none of a file. Files that cannot be read at
// all (bad encoding, unknown kind, missing required columns) are quarantined whole with their reason, and
// their data lines count as rejected; files of other types are listed as ignored, never skipped unseen.
import { createHash } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { AppConfig } from '../config/app-config.ts';
import { AppError } from '../config/errors.ts';
import type { Db } from '../store/db.ts';
import { DATA_SAMPLE_KIND, recordKind, type RecordKind } from '../store/record-kinds.ts';
import { clearQuarantinesSince, nextSeq, type BatchInfo } from './batch-ledger.ts';
import { prepareValueMap } from './convert-sql.ts';
import {
  AmbiguousKind,
  kindFromFileName,
  kindFromHeader,
  planHeader,
  suspectColumns,
  unmatchedMappings,
  type SuspectColumn,
  sampleDateOf,
  sampleResourceCode,
} from './detect-kind.ts';
import { DecodeError, inspectFile, type InspectedFile } from './inspect-file.ts';
import { countNonBlankLines } from './line-scan.ts';
import { loadEmptyBatch, loadInTransaction, loadSampleBatch, quarantineBatch } from './load-batch.ts';
import type { LoadTarget } from './load-file.ts';
import { formatOf, Quarantine, readHeader, type FileFormat } from './read-header.ts';

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
  /** Of rows_loaded: immutable events (access_log) an earlier file already stored, so not stored again. */
  rows_resent: number;
  duplicate: boolean;
  status: 'loaded' | 'duplicate' | 'quarantined' | 'ignored';
  encoding: string | null;
  reason: string | null;
  /** The ledger batch this run wrote for the file (its rejects carry it); null when none was written. */
  batch_id: string | null;
  /** What the load warns of, in Chinese: columns that look like a misspelt canonical column (suspectColumns). */
  warnings: string[];
  /** The file was loaded before under other mappings, and this load replaces that one. */
  replaces: boolean;
}

const DATA_EXT = /\.(csv|jsonl|ndjson)(\.gz)?$/i;
const IGNORED_REASON = '不是可导入的文件类型，未读取：只接受 .csv、.jsonl、.ndjson 文件（可加 .gz 压缩）';

/**
 * File names in natural order, digit runs compared as numbers: access_log_2026-9 loads before access_log_2026-10,
 * as it was exported (the current state of a record follows load order), then by code point.
 */
export function naturalOrder(a: string, b: string): number {
  const digit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  let [i, j] = [0, 0];
  while (i < a.length && j < b.length) {
    if (digit(a[i]) && digit(b[j])) {
      const [from, to] = [i, j];
      while (digit(a[i])) i++;
      while (digit(b[j])) j++;
      const [m, n] = [BigInt(a.slice(from, i)), BigInt(b.slice(to, j))];
      if (m !== n) return m < n ? -1 : 1; // 09 and 9 are equal here: the whole names decide at the end
      continue;
    }
    if (a[i] !== b[j]) return a[i]! < b[j]! ? -1 : 1;
    i++;
    j++;
  }
  return a.length - i - (b.length - j) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Lists data files under the given paths (folders recursively, hidden files skipped), in natural order. */
export async function listInputFiles(paths: string[]): Promise<{ files: string[]; ignored: string[] }> {
  const files: string[] = [];
  const ignored: string[] = [];
  const visit = async (p: string): Promise<void> => {
    const info = await stat(p);
    if (info.isDirectory()) {
      for (const name of (await readdir(p)).sort(naturalOrder)) {
        if (!name.startsWith('.')) await visit(path.join(p, name));
      }
    } else if (DATA_EXT.test(p)) files.push(p);
    else ignored.push(p);
  };
  for (const p of paths) {
    try {
      await visit(path.resolve(p));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      throw new AppError('input_not_found', `找不到要导入的文件或文件夹：${path.resolve(p)}`, {
        cause: error,
      });
    }
  }
  return { files, ignored };
}

/** Data lines of a file: non-blank lines, less the header row of a CSV. */
const dataRows = (lines: number, format: FileFormat): number =>
  Math.max(0, lines - (format === 'csv' ? 1 : 0));

/** A file's batch id is the start of its content hash: the same content is the same batch. */
const batchInfo = (inspected: InspectedFile, seq: number, kind: string): BatchInfo => ({
  batchId: inspected.hash.slice(0, 16),
  seq,
  hash: inspected.hash,
  fileHash: inspected.fileHash ?? null,
  file: inspected.path,
  kind,
  encoding: inspected.encoding,
});

const emptyResult = (file: string): FileResult => ({
  path: file,
  kind: null,
  rows_loaded: 0,
  rows_rejected: 0,
  rows_resent: 0,
  duplicate: false,
  status: 'loaded',
  encoding: null,
  reason: null,
  batch_id: null,
  warnings: [],
  replaces: false,
});

async function quarantine(
  deps: IngestDeps,
  info: { file: string; hash: string; encoding: string | null; kind: string | null },
  reason: string,
  rows: number,
): Promise<FileResult> {
  await quarantineBatch(deps, info, reason, rows);
  const { kind, encoding } = info;
  return {
    ...emptyResult(info.file),
    kind,
    rows_rejected: rows,
    status: 'quarantined',
    encoding,
    reason,
    batch_id: info.hash.slice(0, 16),
  };
}

/**
 * The key of a file in the batch ledger, which manifests pin: the file's own identity, joined with the
 * config's column and value mappings when there are any.
 */
/** What the identity of a file takes from its text besides the hash (InspectedFile.text). */
type Text = { blank: boolean; multiline: boolean };

function batchIdentity(
  file: string,
  contentHash: string,
  mappings: AppConfig['mappings'],
  text?: Text,
): string {
  const identity = fileIdentity(file, contentHash, text);
  const mapped = mappingsDigest(mappings);
  // the config's mappings decide which rows the file gives: under other mappings it is another input (and
  // re-sending it after a mapping is corrected applies the correction); none keeps the plain identity
  return mapped === null
    ? identity
    : createHash('sha256').update(`mapped:${mapped}:${identity}`).digest('hex');
}

/** A digest of the column and value mappings, independent of key order; null when there are none. */
function mappingsDigest(mappings: AppConfig['mappings']): string | null {
  if (Object.keys(mappings).length === 0) return null;
  const sorted = (value: unknown): unknown =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(
          Object.entries(value)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
            .map(([k, v]) => [k, sorted(v)]),
        )
      : value;
  return createHash('sha256')
    .update(JSON.stringify(sorted(mappings)))
    .digest('hex');
}

/**
 * A file's identity: its content hash, except for a data sample, whose resource code and date are in its name
 * and not in its content: the same rows sampled from two resources, or from one resource on two dates (data
 * that did not change between two monthly samples), are two inputs, so the code and the date join the hash.
 * A re-sent file of the same resource and date is still a duplicate.
 */
function fileIdentity(
  file: string,
  contentHash: string,
  text: Text = { blank: false, multiline: true },
): string {
  const name = path.basename(file);
  // a file with nothing in it says only its name: two empty exports (of two kinds, or two days) are two files
  if (text.blank) return createHash('sha256').update(`blank:${name}`).digest('hex');
  // nor does a CSV file with its header alone: two days without records are two exports, not one sent twice
  if (!text.multiline && formatOf(file) === 'csv')
    return createHash('sha256').update(`header:${name}:${contentHash}`).digest('hex');
  const code = kindFromFileName(name) === DATA_SAMPLE_KIND ? sampleResourceCode(name) : null;
  if (code === null) return contentHash;
  const date = sampleDateOf(name);
  // an undated sample keeps the identity it had before dates joined it, so that it stays a duplicate
  const identity =
    date === null ? `data_sample:${code}:${contentHash}` : `data_sample:${code}:${date}:${contentHash}`;
  return createHash('sha256').update(identity).digest('hex');
}

/** The identity of a load that brings back an earlier load `hash` after `inForce` superseded it. */
const reinstatedHash = (hash: string, inForce: string): string =>
  createHash('sha256').update(`reinstated:${hash}:after:${inForce}`).digest('hex');

/**
 * A file whose load `hash` is already stored is a duplicate, unless a later load of the same file under other
 * mappings superseded it: loading it again under the mappings of then (a mapping change reverted) puts those
 * back in force, as a new batch whose identity names the load it supersedes. Returns that identity, or null
 * for a duplicate (this load, or its reinstatement, is the one in force).
 */
async function reinstatingIdentity(db: Db, hash: string, fileHash: string | null): Promise<string | null> {
  if (fileHash === null) return null;
  const [inForce, before] = await db.query<{ content_hash: string }>(
    `select content_hash from batches where file_hash = $file and status = 'loaded' order by seq desc limit 2`,
    { file: fileHash },
  );
  if (inForce === undefined || inForce.content_hash === hash) return null;
  if (before !== undefined && inForce.content_hash === reinstatedHash(hash, before.content_hash)) return null;
  return reinstatedHash(hash, inForce.content_hash);
}

/**
 * The mappings that decide what a file gives: those of its kind, as its name tells it (a data sample: none
 * apply) or else its header does; all of them when neither tells one. A mapping added for one kind does not
 * make every other file another input.
 */
async function mappingsFor(
  file: string,
  inspected: InspectedFile,
  mappings: AppConfig['mappings'],
): Promise<AppConfig['mappings']> {
  const kind =
    kindFromFileName(path.basename(file)) ?? (await headerKindForIdentity(file, inspected, mappings));
  if (kind === null) return mappings;
  const own = mappings[kind];
  return own ? { [kind]: own } : {};
}

/** The kind a file's header (a JSON Lines file's keys) tells under the mappings, null when it tells none or two. */
async function headerKindForIdentity(
  file: string,
  inspected: InspectedFile,
  mappings: AppConfig['mappings'],
): Promise<string | null> {
  if (Object.keys(mappings).length === 0) return null;
  try {
    return kindFromHeader(await readHeader(inspected.utf8Path, formatOf(file)), mappings)?.kind ?? null;
  } catch (error) {
    if (error instanceof AmbiguousKind || error instanceof Quarantine) return null;
    throw error;
  }
}

/**
 * The identities a file is kept under in the ledger: of its text however packaged (InspectedFile.text) and
 * the mappings of its kind, so that the same export re-sent with CR LF, a BOM, in GBK or gzipped again is the
 * file already loaded. Stores written before knew a file by its bytes, or under all kinds' mappings: if the
 * store holds a load under such an identity and none under the current one, the file keeps the old one, so
 * that re-sending it adds nothing.
 */
async function ledgerIdentity(
  deps: IngestDeps,
  file: string,
  inspected: InspectedFile,
): Promise<{ hash: string; fileHash: string }> {
  const { mappings } = deps.config;
  const { text } = inspected;
  const csv = formatOf(file) === 'csv';
  // a text without LF: a CSV reader takes its CRs as line breaks, a JSON Lines reader as content
  const textHash = csv ? text.hash : (text.crContent ?? text.hash);
  const kindMappings = await mappingsFor(file, inspected, mappings);
  const current = {
    hash: batchIdentity(file, textHash, kindMappings, text),
    fileHash: fileIdentity(file, textHash, text),
  };
  // a file known by its name (blank, or a CSV header alone) was known by its bytes alone before: such an
  // identity would match another file's, so it is not looked for
  const byName = text.blank || (!text.multiline && csv);
  // a CSV file without LF was known by its text with CR as content before its CRs were read as line breaks;
  // not one whose last line ends in LF: that load read the whole file as its header, and lost its rows
  const crContent =
    csv && text.crContent !== undefined && !text.crEndsInLf
      ? [
          {
            hash: batchIdentity(file, text.crContent, kindMappings, text),
            fileHash: fileIdentity(file, text.crContent, text),
          },
          {
            hash: batchIdentity(file, text.crContent, mappings, text),
            fileHash: fileIdentity(file, text.crContent, text),
          },
        ]
      : [];
  const earlier = [
    ...crContent,
    { hash: batchIdentity(file, textHash, mappings, text), fileHash: current.fileHash },
    ...(byName
      ? []
      : [
          {
            hash: batchIdentity(file, inspected.hash, mappings),
            fileHash: fileIdentity(file, inspected.hash),
          },
        ]),
  ].filter((e) => e.hash !== current.hash);
  if (earlier.length === 0) return current;
  const loaded = await deps.db.query<{ content_hash: string; file_hash: string | null }>(
    `select content_hash, file_hash from batches where status = 'loaded'
       and (content_hash in (select unnest($hashes::varchar[])) or file_hash in (select unnest($files::varchar[])))`,
    {
      hashes: [current.hash, ...earlier.map((e) => e.hash)],
      files: [current.fileHash, ...earlier.map((e) => e.fileHash)],
    },
  );
  const holds = (hash: string) => loaded.some((b) => b.content_hash === hash);
  if (holds(current.hash)) return current;
  const same = earlier.find((e) => holds(e.hash));
  if (same) return same;
  // under other mappings the file is another input, which supersedes the earlier load of the file: known by
  // the file identity that load was stored under
  const files = [current.fileHash, ...earlier.map((e) => e.fileHash)];
  return {
    hash: current.hash,
    fileHash: files.find((f) => loaded.some((b) => b.file_hash === f)) ?? current.fileHash,
  };
}

async function ingestOne(deps: IngestDeps, file: string, report: (pct: number) => void): Promise<FileResult> {
  const format = formatOf(file);
  let inspected: InspectedFile;
  try {
    inspected = await inspectFile(file, deps.tmpDir);
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    const info = { file, hash: error.hash, encoding: null, kind: kindFromFileName(path.basename(file)) };
    return quarantine(deps, info, error.message, dataRows(error.lines ?? 0, format));
  }
  inspected = { ...inspected, ...(await ledgerIdentity(deps, file, inspected)) };
  try {
    const previous = await deps.db.query<{ kind: string | null }>(
      `select kind from batches where content_hash = $hash and status = 'loaded'`,
      { hash: inspected.hash },
    );
    if (previous.length > 0) {
      const reload = await reinstatingIdentity(deps.db, inspected.hash, inspected.fileHash ?? null);
      if (reload === null) {
        await clearQuarantinesSince(deps.db, inspected.hash, file);
        return {
          ...emptyResult(file),
          kind: previous[0]!.kind,
          duplicate: true,
          status: 'duplicate',
          encoding: inspected.encoding,
        };
      }
      inspected = { ...inspected, hash: reload };
    }
    // a load of a file already loaded under other mappings replaces that load (superseded_batches)
    const replaced = await deps.db.query(
      `select 1 from batches where file_hash = $file and content_hash <> $hash and status = 'loaded' limit 1`,
      { file: inspected.fileHash ?? null, hash: inspected.hash },
    );
    const result = await ingestInspected(deps, inspected, format, report);
    return { ...result, replaces: result.status === 'loaded' && replaced.length > 0 };
  } finally {
    if (inspected.utf8Path !== file) await rm(inspected.utf8Path, { force: true });
  }
}

async function ingestInspected(
  deps: IngestDeps,
  inspected: InspectedFile,
  format: FileFormat,
  report: (pct: number) => void,
): Promise<FileResult> {
  const file = inspected.path;
  const info = {
    file,
    hash: inspected.hash,
    encoding: inspected.encoding,
    kind: kindFromFileName(path.basename(file)),
  };
  try {
    const header = await readHeader(inspected.utf8Path, format);
    const lines = header.length === 0 ? await countNonBlankLines(inspected.utf8Path) : null;
    if (lines === 0) return await loadEmpty(deps, inspected, info.kind);
    if (header.length === 0 && format === 'csv') throw new Quarantine('第 1 行应为表头（列名），但它是空行');
    if (info.kind === DATA_SAMPLE_KIND) {
      const resourceCode = sampleResourceCode(path.basename(file));
      if (!resourceCode) throw new Quarantine('data_sample 文件名应为 data_sample_<资源编码>.csv');
      return await loadSampleFile(deps, inspected, { format, header, resourceCode });
    }
    const kind = info.kind ? recordKind(info.kind) : kindOfHeader(header, deps.config.mappings);
    if (!kind) {
      throw new Quarantine(
        '无法判断记录类型：文件名没有已知前缀（如 share_requests_），表头也不符合任何一种记录的必需列',
      );
    }
    info.kind = kind.kind;
    return await loadRecords(deps, inspected, kind, header, format, report);
  } catch (error) {
    if (!(error instanceof Quarantine)) throw error;
    const rows = dataRows(await countNonBlankLines(inspected.utf8Path), format);
    return quarantine(deps, info, error.message, rows);
  }
}

/** kindFromHeader, with a header that fits two kinds as well as a quarantine naming them. */
function kindOfHeader(header: string[], mappings: AppConfig['mappings']): RecordKind | null {
  try {
    return kindFromHeader(header, mappings);
  } catch (error) {
    if (!(error instanceof AmbiguousKind)) throw error;
    throw new Quarantine(
      `无法判断记录类型：文件名没有已知前缀，表头同时符合 ${error.kinds.join('、')} 的必需列；` +
        `请在文件名前加上类型前缀（如 ${error.kinds[0]}_2026.csv）后重新加载`,
    );
  }
}

function missingColumnsMessage(
  kind: RecordKind,
  missing: string[],
  format: FileFormat,
  suspects: SuspectColumn[],
): string {
  const message =
    format === 'csv'
      ? `第 1 行表头缺少必需的列：${missing.join('、')}（${kind.kind} 文件应包含这些列）`
      : `没有任何一行 JSON 含有必需的字段：${missing.join('、')}（${kind.kind} 记录应包含这些字段）`;
  const near = suspects.filter((c) => missing.includes(c.canonical));
  if (near.length === 0) return message;
  return (
    message +
    `；${near.map((c) => `“${c.column}”疑为 ${c.canonical}`).join('，')}` +
    `，可在配置的 mappings.${kind.kind}.columns 中映射后重新加载`
  );
}

async function loadRecords(
  deps: IngestDeps,
  inspected: InspectedFile,
  kind: RecordKind,
  header: string[],
  format: FileFormat,
  report: (pct: number) => void,
): Promise<FileResult> {
  const { db, config } = deps;
  const plan = planHeader(kind, header, config.mappings[kind.kind]);
  // A JSON Lines file none of whose lines is an object has no keys; its loader rejects every line.
  if (plan.missingRequired.length > 0 && header.length > 0) {
    throw new Quarantine(
      missingColumnsMessage(kind, plan.missingRequired, format, suspectColumns(kind, header, plan)),
    );
  }
  const suspects = [
    ...suspectColumns(kind, header, plan),
    // a JSON Lines file names only the keys its records have (a pending request has no answer time): a mapped
    // key it lacks says nothing of the export
    ...(format === 'csv' ? unmatchedMappings(header, plan, config.mappings[kind.kind]) : []),
  ].map((c) => ({ ...c, message: suspectWarning(kind, c) }));
  await prepareValueMap(db, kind, config.mappings[kind.kind]);
  const target: LoadTarget = {
    db,
    kind,
    plan,
    header,
    utf8Path: inspected.utf8Path,
    filePath: inspected.path,
    batchId: inspected.hash.slice(0, 16),
    seq: await nextSeq(db),
    format,
    edgeBlanks: inspected.edgeBlanks,
  };
  const batch = { ...batchInfo(inspected, target.seq, kind.kind), warnings: suspects };
  report(0);
  const fast = format === 'csv' ? await loadInTransaction(deps, target, batch, true, report) : null;
  const counts = fast ?? (await loadInTransaction(deps, target, batch, false, report))!;
  return {
    ...emptyResult(inspected.path),
    kind: kind.kind,
    rows_loaded: counts.rowsLoaded,
    rows_rejected: counts.rowsRejected,
    rows_resent: counts.resent,
    encoding: inspected.encoding,
    batch_id: target.batchId,
    warnings: suspects.map((c) => c.message),
  };
}

/**
 * The warning for a column that looks like a canonical one the file lacks, whose values were not read; or for
 * a mapped column the file does not have.
 */
const suspectWarning = (kind: RecordKind, c: SuspectColumn): string =>
  c.mapped
    ? `配置的 mappings.${kind.kind}.columns 把“${c.column}”映射为 ${c.canonical}，但文件中没有该列，也没有 ` +
      `${c.canonical} 列：各行的 ${c.canonical} 按空值处理。请核对文件表头与映射中的列名，更正后重新加载该文件`
    : `列“${c.column}”不是标准列名，但与文件缺少的列 ${c.canonical} 相近：它的取值未作为 ${c.canonical} 读取` +
      `（各行的 ${c.canonical} 按空值处理）。若它就是 ${c.canonical}，请在配置的 mappings.${kind.kind}.columns ` +
      `中加入“${c.column}: ${c.canonical}”后重新加载该文件`;

/** A file with no lines at all (not even a header): zero rows if its name gives the kind. */
async function loadEmpty(
  deps: IngestDeps,
  inspected: InspectedFile,
  kind: string | null,
): Promise<FileResult> {
  if (!kind) throw new Quarantine('文件为空（没有表头和数据行），文件名也没有已知前缀，无法判断记录类型');
  const batch = batchInfo(inspected, await nextSeq(deps.db), kind);
  await loadEmptyBatch(deps, batch);
  return { ...emptyResult(inspected.path), kind, encoding: inspected.encoding, batch_id: batch.batchId };
}

async function loadSampleFile(
  deps: IngestDeps,
  inspected: InspectedFile,
  sample: { format: FileFormat; header: string[]; resourceCode: string },
): Promise<FileResult> {
  const batch = batchInfo(inspected, await nextSeq(deps.db), DATA_SAMPLE_KIND);
  const counts = await loadSampleBatch(deps, batch, { utf8Path: inspected.utf8Path, ...sample });
  return {
    ...emptyResult(inspected.path),
    kind: DATA_SAMPLE_KIND,
    rows_loaded: counts.rowsLoaded,
    rows_rejected: counts.rowsRejected,
    encoding: inspected.encoding,
    batch_id: batch.batchId,
  };
}

export async function ingestPaths(deps: IngestDeps, paths: string[]): Promise<FileResult[]> {
  const { files, ignored } = await listInputFiles(paths);
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
  for (const file of ignored)
    results.push({ ...emptyResult(file), status: 'ignored', reason: IGNORED_REASON });
  return results;
}
