// Shared test helpers: a fresh database in a temp folder, the app config for the repo, a fixed clock.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAppConfig, type AppConfig } from '../config/app-config.ts';
import { openDatabase, type Db } from '../store/db.ts';
import { migrate } from '../store/schema.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED_DIR = path.resolve(REPO_ROOT, '..', 'shared');
export const INBOX_SMALL = path.join(SHARED_DIR, 'examples', 'inbox-small');
export const FIXED_NOW = new Date('2026-11-21T02:00:00Z');

export function tempDir(prefix = 'sw-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function repoConfig(env: NodeJS.ProcessEnv = {}): AppConfig {
  return loadAppConfig({ cwd: tempDir(), env, projectRoot: REPO_ROOT });
}

export async function freshDb(dir = tempDir()): Promise<{ db: Db; dir: string; file: string }> {
  const file = path.join(dir, 'test.duckdb');
  const db = await openDatabase(file);
  await migrate(db);
  return { db, dir, file };
}
