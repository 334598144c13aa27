// Hash-chained audit log: each entry's hash covers the previous hash and its own content, so an edited or
// deleted entry breaks the chain that verifyAuditChain walks. Callers pass the time (no clock in here).
import { createHash } from 'node:crypto';
import type { Db } from './db.ts';
import { localTimestamp } from '../config/local-time.ts';

export interface AuditEntry {
  at: Date;
  actor: string;
  action: string;
  payload: unknown;
}

function entryHash(
  prev: string,
  seq: number,
  at: string,
  actor: string,
  action: string,
  payload: string,
): string {
  return createHash('sha256').update([prev, seq, at, actor, action, payload].join('\u0000')).digest('hex');
}

export async function appendAudit(db: Db, entry: AuditEntry): Promise<void> {
  const last = await db.query<{ seq: number; hash: string }>(
    'select seq, hash from audit_log order by seq desc limit 1',
  );
  const prev = last[0]?.hash ?? '';
  const seq = (last[0]?.seq ?? 0) + 1;
  const at = localTimestamp(entry.at, { millis: true });
  const payload = JSON.stringify(entry.payload);
  await db.run(
    `insert into audit_log values ($seq, $at::timestamp, $actor, $action, $payload, $prev, $hash)`,
    {
      seq,
      at,
      actor: entry.actor,
      action: entry.action,
      payload,
      prev,
      hash: entryHash(prev, seq, at, entry.actor, entry.action, payload),
    },
  );
}

/** Returns the first broken sequence number, or null when the chain is intact. */
export async function verifyAuditChain(db: Db): Promise<number | null> {
  const rows = await db.query<{
    seq: number;
    at: string;
    actor: string;
    action: string;
    payload: string;
    prev_hash: string;
    hash: string;
  }>(
    `select seq, strftime("at", '%Y-%m-%d %H:%M:%S.%g') as at, actor, action, payload, prev_hash, hash
     from audit_log order by seq`,
  );
  let prev = '';
  for (const row of rows) {
    if (
      row.prev_hash !== prev ||
      entryHash(prev, row.seq, row.at, row.actor, row.action, row.payload) !== row.hash
    ) {
      return row.seq;
    }
    prev = row.hash;
  }
  return null;
}
