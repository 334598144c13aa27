// A fresh database and inbox per test, with ingest deps on a fixed clock, and readers for what a load left
// behind (rejects, ledger rows) so that tests compare exact rows. Canonical headers of the kinds used.
import { writeFileSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { AppConfig } from '../../config/app-config.ts';
import {
  ingestPaths,
  type FileResult,
  type IngestDeps,
  type ProgressEvent,
} from '../../collectors/ingest.ts';
import type { Db } from '../../store/db.ts';
import { FIXED_NOW, freshDb, repoConfig } from '../helpers.ts';

export const ACCESS_HEADER =
  'event_id,ts,consumer_dept,user_id,resource_code,provider_dept,operation,records,items,approval_id,client_ip,result';
export const SHARE_HEADER =
  'request_id,requester_dept,provider_dept,resource_code,purpose,requested_items,submitted_at,responded_at,decision,reason,legal_basis,valid_from,valid_until,approved_items';

export interface Harness {
  db: Db;
  dir: string;
  inbox: string;
  tmpDir: string;
  deps: IngestDeps;
  events: ProgressEvent[];
  /** Writes a file into the inbox (CSV lines joined with \n and a final newline) and returns its path. */
  write(name: string, content: string | string[] | Buffer): string;
  ingest(...names: string[]): Promise<FileResult[]>;
  rejects(): Promise<
    Array<{ file: string; line: number | null; column: string | null; value: string | null; reason: string }>
  >;
  batches(): Promise<
    Array<{
      file: string;
      kind: string | null;
      total: number;
      loaded: number;
      rejected: number;
      status: string;
      detail: string | null;
    }>
  >;
  count(table: string): Promise<number>;
  tmpLeftovers(): Promise<string[]>;
}

export async function openHarness(config: AppConfig = repoConfig()): Promise<Harness> {
  const { db, dir } = await freshDb();
  const inbox = path.join(dir, 'inbox');
  const tmpDir = path.join(dir, 'tmp');
  await mkdir(inbox);
  const events: ProgressEvent[] = [];
  const deps: IngestDeps = { db, config, clock: () => FIXED_NOW, tmpDir, onProgress: (e) => events.push(e) };
  return {
    db,
    dir,
    inbox,
    tmpDir,
    deps,
    events,
    write(name, content) {
      const file = path.join(inbox, name);
      writeFileSync(file, Array.isArray(content) ? content.join('\n') + '\n' : content);
      return file;
    },
    ingest: (...names) =>
      ingestPaths(deps, names.length > 0 ? names.map((n) => path.join(inbox, n)) : [inbox]),
    rejects: () =>
      db.query(
        `select regexp_extract(file_path, '[^/]+$') as file, line, column_name as "column", value, reason
         from rejects order by file_path, line, column_name`,
      ),
    batches: () =>
      db.query(
        `select file_name as file, kind, rows_total as total, rows_loaded as loaded, rows_rejected as rejected, status, detail
         from batches order by seq`,
      ),
    count: async (table) => (await db.query<{ n: number }>(`select count(*) as n from ${table}`))[0]!.n,
    tmpLeftovers: async () => readdir(tmpDir),
  };
}

/** The invariant every loaded or quarantined file must keep. */
export function balanced(b: { total: number; loaded: number; rejected: number }): boolean {
  return b.loaded + b.rejected === b.total;
}
