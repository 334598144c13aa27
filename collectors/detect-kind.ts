// Which record kind a file holds: by its name prefix (share_requests_2026-10.csv), else by its header row
// (the kind whose required columns the mapped header covers best). Headers map through config mappings.
import type { ColumnMapping } from '../config/app-config.ts';
import { DATA_SAMPLE_KIND, RECORD_KINDS, type RecordKind } from '../store/record-kinds.ts';

export interface HeaderPlan {
  /** Canonical column -> index in the file's header. */
  columnIndex: Map<string, number>;
  /** File columns that map to no canonical column, kept as `extra`. */
  extraIndexes: number[];
  missingRequired: string[];
}

const KIND_NAMES = [...RECORD_KINDS.map((k) => k.kind), DATA_SAMPLE_KIND].sort((a, b) => b.length - a.length);

export function kindFromFileName(fileName: string): string | null {
  const base = fileName.toLowerCase();
  for (const kind of KIND_NAMES) {
    if (base.startsWith(kind) && /^([-_.]|$)/.test(base.slice(kind.length))) return kind;
  }
  return null;
}

/** For data_sample_<resource_code>[_...].csv: the resource code. */
export function sampleResourceCode(fileName: string): string | null {
  const match = /^data_sample_([^_.]+)/i.exec(fileName);
  return match ? match[1]! : null;
}

/**
 * For data_sample_<resource_code>[_..._]<date>.csv: the sample's date as YYYY-MM-DD (20260315 or 2026-03-15),
 * null when the name has none or it is no real date. The JS twin of the extraction in int_data_sample.sql.
 */
export function sampleDateOf(fileName: string): string | null {
  const match = /^data_sample_[^_.]+_(?:[^.]*_)?(\d{4}-\d{2}-\d{2}|\d{8})(?:[_.]|$)/.exec(
    fileName.toLowerCase(),
  );
  if (!match) return null;
  const digits = match[1]!.replace(/-/g, '');
  const date = `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date ? date : null;
}

export function planHeader(
  kind: RecordKind,
  header: string[],
  mapping: ColumnMapping | undefined,
): HeaderPlan {
  const columnIndex = new Map<string, number>();
  const extraIndexes: number[] = [];
  const canonical = new Set(kind.columns.map((c) => c.name));
  header.forEach((name, index) => {
    const trimmed = name.trim();
    const mapped = mapping?.columns[trimmed] ?? trimmed;
    if (canonical.has(mapped) && !columnIndex.has(mapped)) columnIndex.set(mapped, index);
    else extraIndexes.push(index);
  });
  const missingRequired = kind.columns
    .filter((c) => c.required && !columnIndex.has(c.name))
    .map((c) => c.name);
  return { columnIndex, extraIndexes, missingRequired };
}

/** A file column that is no canonical one but looks like a misspelling of a canonical column the file lacks. */
export interface SuspectColumn {
  column: string;
  canonical: string;
  /** A column the config maps to `canonical` that the file does not have (unmatchedMappings). */
  mapped?: boolean;
}

// the last word of a column that names when something happened: responded_time for responded_at
const WHEN_WORDS = new Set(['at', 'time', 'date', 'ts', 'on', 'datetime', 'timestamp']);
const words = (name: string): string[] =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');

/** Levenshtein distance, for names of a few dozen characters. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

/**
 * Whether a file's column name looks like a canonical one written otherwise: the same words in another case or
 * with other separators (RespondedAt, responded-at), one word of four letters or more up to two letters off
 * (respnded_at, response_at), or the same words with another word for "when" (responded_time).
 */
function looksLike(column: string, canonical: string): boolean {
  const [a, b] = [words(column), words(canonical)];
  if (a.length === 0) return false;
  if (a.join('') === b.join('')) return true;
  // one word misspelt, a long one (respnded_at, response_at, decison): not another short word (client_id for
  // client_ip, corrected_by for corrected_at) nor a word added (decision_by, mounted_at)
  const differing =
    a.length === b.length ? a.flatMap((w, i) => (w === b[i] ? [] : [[w, b[i]!] as const])) : [];
  if (differing.length === 1) {
    const [w, v] = differing[0]!;
    if (Math.min(w.length, v.length) >= 4 && editDistance(w, v) <= 2) return true;
  }
  return (
    a.length === b.length &&
    a.length > 1 &&
    a.slice(0, -1).join('_') === b.slice(0, -1).join('_') &&
    WHEN_WORDS.has(a.at(-1)!) &&
    WHEN_WORDS.has(b.at(-1)!)
  );
}

/**
 * The file's unmapped columns that look like a canonical column of the kind that the file does not have (its
 * values would be kept only in `extra`, and the canonical column read as blank in every row): each with the
 * first such canonical column in the kind's order.
 */
export function suspectColumns(kind: RecordKind, header: string[], plan: HeaderPlan): SuspectColumn[] {
  const absent = kind.columns.map((c) => c.name).filter((name) => !plan.columnIndex.has(name));
  return plan.extraIndexes.flatMap((index) => {
    const column = header[index]!.trim();
    const canonical = absent.find((name) => looksLike(column, name));
    return canonical ? [{ column, canonical }] : [];
  });
}

/**
 * The columns the config maps to a canonical column that the file has under neither name (答复日期 mapped to
 * responded_at, while the export says 答复时间): that column reads blank in every row. Several spellings
 * mapped to one column (two export versions) are one entry, and none is named when the file has one of them;
 * nothing is named for a file that has none of the mapped columns.
 */
export function unmatchedMappings(
  header: string[],
  plan: HeaderPlan,
  mapping: ColumnMapping | undefined,
): SuspectColumn[] {
  // a file that names none of the mapped columns is not the export the mapping describes (another platform's,
  // in canonical names): what it lacks is its own affair, as for a file read without mappings
  const names = new Set(header.map((h) => h.trim()));
  if (!Object.keys(mapping?.columns ?? {}).some((from) => names.has(from))) return [];
  const sources = new Map<string, string[]>();
  for (const [from, to] of Object.entries(mapping?.columns ?? {}))
    if (!plan.columnIndex.has(to)) sources.set(to, [...(sources.get(to) ?? []), from]);
  return [...sources].map(([canonical, from]) => ({ column: from.join('、'), canonical, mapped: true }));
}

/**
 * The kind whose required columns the (mapped) header covers, the one matching most columns when several do;
 * null when none does. Throws AmbiguousKind when another kind fits too and reads about as many columns of its
 * own (change_id…changed_at with from, to fits catalog_changes and supply_exemptions alike): a file whose kind
 * is a guess must not be loaded as either.
 */
export function kindFromHeader(header: string[], mappings: Record<string, ColumnMapping>): RecordKind | null {
  const fits = RECORD_KINDS.map((kind) => ({ kind, plan: planHeader(kind, header, mappings[kind.kind]) }))
    .filter((f) => f.plan.missingRequired.length === 0)
    .map((f) => ({ kind: f.kind, read: new Set(f.plan.columnIndex.values()) }))
    .sort((a, b) => b.read.size - a.read.size);
  const [best, ...others] = fits;
  // a rival reads columns of its own (not read by the best) as many as at least half of the best's own, and
  // two or more: a change_events export that also names dept_name is still change_events
  const own = (a: Set<number>, b: Set<number>) => [...a].filter((index) => !b.has(index)).length;
  const rivals = others.filter((o) => {
    const theirs = own(o.read, best!.read);
    return theirs >= 2 && theirs * 2 >= own(best!.read, o.read);
  });
  if (rivals.length > 0) throw new AmbiguousKind([best!, ...rivals].map((f) => f.kind.kind));
  return best?.kind ?? null;
}

export class AmbiguousKind extends Error {
  constructor(readonly kinds: string[]) {
    super(`header fits ${kinds.join(', ')}`);
  }
}
