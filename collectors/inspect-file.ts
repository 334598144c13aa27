// Reads a file once to learn what it is: the hash of its bytes and of its text however packaged (TextHasher,
// the batch ledger's key), gzip, encoding. Valid UTF-8 (with or without BOM) is UTF-8; anything else must
// decode strictly as GB18030 (a superset of GBK) or the file is quarantined whole, as is a nearly-valid UTF-8
// file (damaged UTF-8, not GBK). Files that are not plain UTF-8 are rewritten as UTF-8 to a temp file so that
// DuckDB, which reads UTF-8 only, can parse them itself.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { isAscii, isUtf8 } from 'node:buffer';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { countNonBlankLines, firstUndecodableLine, utf8Damage } from './line-scan.ts';
import { formatOf } from './read-header.ts';

export type Encoding = 'utf-8' | 'utf-8-bom' | 'gb18030';

/**
 * The hash of a file's text as UTF-8, whatever its packaging: without a BOM, each line break as one LF (CR LF
 * and CR CR LF, as the CSV reader takes them; a CR no LF follows is content, but in a file without any LF, where
 * it is the line break), without line breaks at its end. The same export re-sent with Windows or old Mac line
 * breaks, a BOM, without its last line break, in GBK or gzipped again (gzip stamps a time in its header) hashes
 * the same, so that it is recognised as the file already loaded. `blank`: the text
 * holds nothing but line breaks and blanks. Fed the same chunks as a hash of the bytes (`bytes`, updated after
 * this), it hashes nothing itself while the text equals the bytes: a plain UTF-8 file with LF line breaks is
 * hashed once, but for its last chunk.
 */
class TextHasher {
  private own: Hash | null;
  private atStart = true;
  /** CRs at the end of what was read, not yet known to end in an LF */
  private pendingCr = 0;
  /** line breaks at the end of what was read, hashed only once more text follows */
  private pendingLf = 0;
  blank = true;
  /** whether the text holds a line break between two of its lines (else it is one line, or blank) */
  multiline = false;
  private seenBreak = false;
  /**
   * The text read with CR as its line break, while no LF has come: a CSV file without any LF whose lines end in
   * CR alone is read so (inspectFile gives the loaders an LF copy), and is then the same text as its LF twin,
   * however its last line ends. Dropped at an LF that text follows, where a bare CR is content again. JSON
   * Lines are split on LF alone: their reader takes the hash with CR as content (crContent).
   */
  private crLines: Hash | null = null;
  private crBreaks = 0;
  private lfSeen = false;
  /** an LF came, and nothing but line breaks since: still a CR text, unless more text follows */
  private inFinalBreaks = false;

  constructor(private readonly bytes: Hash | null = null) {
    this.own = bytes ? null : createHash('sha256');
  }

  update(chunk: Buffer): void {
    let buf = chunk;
    if (this.atStart && buf.length > 0) {
      this.atStart = false;
      if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
        buf = buf.subarray(3);
        this.own ??= createHash('sha256');
      }
    }
    if (buf.length === 0) return;
    if (this.blank && buf.some((byte) => byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d))
      this.blank = false;
    // while the text equals the bytes, a chunk without CR that does not end in a line break changes nothing
    if (!this.multiline) this.multiline = this.breaksBetweenLines(buf);
    if (!this.lfSeen) this.readCrLines(buf);
    if (this.own === null && buf.indexOf(0x0d) === -1 && buf[buf.length - 1] !== 0x0a) return;
    // the text differs from the bytes from here on: hash on from the bytes' state before this chunk
    this.own ??= this.bytes!.copy();
    this.normalise(buf, this.own);
  }

  /**
   * Feeds crLines, forked from the text's state before buf at the first CR; or drops it at an LF that more than
   * line breaks follow (LFs in the file's last run of line breaks end a CR text: its last line ended in CR LF).
   */
  private readCrLines(chunk: Buffer): void {
    if (this.inFinalBreaks) {
      if (chunk.some((byte) => byte !== 0x0a && byte !== 0x0d)) this.dropCrLines();
      return;
    }
    let buf = chunk;
    const lf = buf.indexOf(0x0a);
    if (lf !== -1) {
      if (this.crLines === null && buf.subarray(0, lf).indexOf(0x0d) === -1) {
        this.dropCrLines();
        return;
      }
      if (buf.subarray(lf).some((byte) => byte !== 0x0a && byte !== 0x0d)) {
        this.dropCrLines();
        return;
      }
      this.inFinalBreaks = true;
      buf = buf.subarray(0, lf);
    }
    if (this.crLines === null) {
      if (buf.indexOf(0x0d) === -1) return;
      this.crLines = (this.own ?? this.bytes!).copy();
    }
    for (let i = 0; i < buf.length;) {
      if (buf[i] === 0x0d) {
        this.crBreaks++;
        i++;
        continue;
      }
      const cr = buf.indexOf(0x0d, i);
      const end = cr === -1 ? buf.length : cr;
      // line breaks are hashed once more text follows: trailing ones are not the text's
      if (this.crBreaks > 0) this.crLines.update(Buffer.alloc(this.crBreaks, 0x0a));
      this.crBreaks = 0;
      this.crLines.update(buf.subarray(i, end));
      i = end;
    }
  }

  private dropCrLines(): void {
    this.lfSeen = true;
    this.crLines = null;
  }

  /** Whether a line break in buf, or one before it, is followed by more than line breaks (a second line). */
  private breaksBetweenLines(buf: Buffer): boolean {
    for (const byte of buf) {
      if (byte === 0x0a || byte === 0x0d) this.seenBreak = true;
      else if (this.seenBreak) return true;
    }
    return false;
  }

  private normalise(buf: Buffer, own: Hash): void {
    let nextCr = buf.indexOf(0x0d);
    for (let i = 0; i < buf.length;) {
      const byte = buf[i]!;
      if (byte === 0x0d) {
        this.pendingCr++;
        i++;
        continue;
      }
      if (this.pendingCr > 0) {
        // CR…CR LF is one line break; CRs before anything else are content, as the CSV reader keeps a bare CR
        // in a value (in a file that holds an LF: one without any is read by crLines)
        if (byte === 0x0a) {
          this.pendingCr = 0;
          this.pendingLf++;
          i++;
          continue;
        }
        this.flushLf(own);
        own.update(Buffer.alloc(this.pendingCr, 0x0d));
        this.pendingCr = 0;
      }
      if (byte === 0x0a) {
        this.pendingLf++;
        i++;
        continue;
      }
      if (nextCr !== -1 && nextCr < i) nextCr = buf.indexOf(0x0d, i);
      const lf = buf.indexOf(0x0a, i);
      const end = Math.min(nextCr === -1 ? buf.length : nextCr, lf === -1 ? buf.length : lf);
      this.flushLf(own);
      own.update(buf.subarray(i, end));
      i = end;
    }
  }

  private flushLf(own: Hash): void {
    if (this.pendingLf > 0) own.update(Buffer.alloc(this.pendingLf, 0x0a));
    this.pendingLf = 0;
  }

  /**
   * The text's hash (line breaks still pending are its end, and left out), before the bytes' is digested; and,
   * for a text without LF read with CR as its line break, the hash with CR as content (`crContent`).
   */
  digest(): { hash: string; crContent?: string; crEndsInLf?: boolean } {
    const crLines = this.crLines?.digest('hex');
    const own = this.own ?? this.bytes!.copy();
    // CRs at the very end that no LF follows are content
    if (this.pendingCr > 0) {
      this.flushLf(own);
      own.update(Buffer.alloc(this.pendingCr, 0x0d));
    }
    const hash = own.digest('hex');
    if (crLines === undefined) return { hash };
    return { hash: crLines, crContent: hash, ...(this.inFinalBreaks ? { crEndsInLf: true } : {}) };
  }
}

export interface InspectedFile {
  path: string;
  /** The hash of the file's bytes as sent; the ledger's key once ingest.ts has made it the file's identity. */
  hash: string;
  /**
   * The hash of its text however packaged (TextHasher), whether that text is blank, or more than one line;
   * `crContent`: of a text whose lines end in CR (no LF but in its last line breaks), which a CSV reader takes
   * as line breaks (`hash`), the hash with CR as content, as a JSON Lines reader takes them (and as stores
   * written before knew such a CSV file);
   * `crEndsInLf`: its last line ends in LF (stores written before read such a CSV file as one header line).
   */
  text: { hash: string; crContent?: string; crEndsInLf?: boolean; blank: boolean; multiline: boolean };
  bytes: number;
  gzip: boolean;
  /** A UTF-8 file DuckDB can read: the original or a decoded copy under tmpDir. */
  utf8Path: string;
  encoding: Encoding;
  /** False only when no value can start or end with a blank, so the fast path may skip trim(). */
  edgeBlanks: boolean;
  /** The file's own identity (fileIdentity in ingest.ts), before the config's mappings join it into `hash`. */
  fileHash?: string;
}

export class DecodeError extends Error {
  constructor(
    message: string,
    readonly hash: string,
    /** Non-blank lines in the (decompressed) file, header included; null when they cannot be told. */
    readonly lines: number | null,
  ) {
    super(message);
  }
}

/** Bytes at the end of buf that start an incomplete UTF-8 sequence (0-3), to carry into the next chunk. */
function incompleteTail(buf: Buffer): number {
  for (let back = 1; back <= Math.min(3, buf.length); back++) {
    const byte = buf[buf.length - back]!;
    if ((byte & 0xc0) !== 0x80) {
      const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
      return need > back ? back : 0;
    }
  }
  return 0;
}

/** Bytes that end or start a CSV field value: delimiter, line break, quote. */
const FIELD_EDGE = new Uint8Array(256);
for (const byte of [0x2c, 0x0a, 0x0d, 0x22]) FIELD_EDGE[byte] = 1;
/** UTF-8 of the Unicode space separators (Zs) other than U+0020; E2 80 is refined by its third byte. */
const WIDE_BLANKS = [
  [0xc2, 0xa0],
  [0xe1, 0x9a, 0x80],
  [0xe2, 0x80],
  [0xe2, 0x81, 0x9f],
  [0xe3, 0x80, 0x80],
].map((bytes) => Buffer.from(bytes));

/**
 * Conservative test, chunk by chunk, for a value with an edge blank (what trim() would remove): true once a
 * space touches a field edge or any other Zs character occurs anywhere. Chunks must not split a UTF-8 char.
 */
function edgeBlankScanner(): (buf: Buffer) => boolean {
  let prev = 0x0a; // the start of the file is a field edge
  let spaceAtEnd = false;
  return (buf) => {
    if (buf.length === 0) return false;
    if (spaceAtEnd && FIELD_EDGE[buf[0]!]) return true;
    spaceAtEnd = false;
    for (let i = buf.indexOf(0x20); i !== -1; i = buf.indexOf(0x20, i + 1)) {
      if (FIELD_EDGE[i === 0 ? prev : buf[i - 1]!]) return true;
      if (i + 1 === buf.length) spaceAtEnd = true;
      else if (FIELD_EDGE[buf[i + 1]!]) return true;
    }
    for (const blank of WIDE_BLANKS) {
      for (let i = buf.indexOf(blank); i !== -1; i = buf.indexOf(blank, i + 1)) {
        if (blank.length === 3) return true;
        if (blank[0] === 0xc2) return true;
        const third = buf[i + 2]!; // E2 80 80..8A and E2 80 AF are Zs
        if (third <= 0x8a || third === 0xaf) return true;
      }
    }
    prev = buf[buf.length - 1]!;
    return false;
  };
}

interface Scanned {
  hash: string;
  bytes: number;
  utf8: boolean;
  bom: boolean;
  edgeBlanks: boolean;
  /** TextHasher's, when the file is UTF-8 */
  text: InspectedFile['text'];
  /** Valid UTF-8 with bytes beyond ASCII, none of which starts a CJK character (U+3000-9FFF, U+F000-FFFF). */
  utf8WithoutCjk: boolean;
}

/** The UTF-8 lead bytes of U+3000-9FFF (CJK punctuation, kana, Han) and U+F000-FFFF (full-width forms). */
const CJK_LEADS = [0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xef];

/**
 * A file that is valid UTF-8 but could be GBK as well: read as UTF-8 it holds no CJK character but letters of
 * other scripts (U+0100-07FF: Latin Extended, Greek, Cyrillic, Hebrew, Arabic), and read as GB18030 every
 * character beyond ASCII is a Han character or CJK punctuation. Short GBK texts are valid UTF-8 by chance (住址,
 * D7A1 D6B7, is UTF-8 for Hebrew letters), and so are UTF-8 texts in those scripts read as GBK (Иван, Zhāng):
 * which one the file is cannot be told, and either guess can store garbled text for good. Returns the first
 * run of characters beyond ASCII read both ways, to show; null when the file is plain UTF-8.
 */
async function gbkOrUtf8(file: string): Promise<{ utf8: string; gbk: string } | null> {
  const gbk = new TextDecoder('gb18030', { fatal: true });
  const utf8 = new TextDecoder('utf-8');
  const chinese = /^[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]$/u;
  const bytes: Buffer[] = [];
  let otherScript = false;
  try {
    for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
      if (bytes.length === 0) bytes.push(chunk.subarray(0, 64 * 1024));
      if (!otherScript) otherScript = /[\u0100-\u07ff]/u.test(utf8.decode(chunk, { stream: true }));
      for (const ch of gbk.decode(chunk, { stream: true })) {
        if (ch.charCodeAt(0) >= 0x80 && ch !== '\ufeff' && !chinese.test(ch)) return null;
      }
    }
    gbk.decode();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') return null;
    throw error;
  }
  if (!otherScript) return null;
  // the first run of bytes beyond ASCII, read both ways
  const head = bytes[0]!;
  const from = head.findIndex((b) => b >= 0x80);
  let to = from;
  while (to < head.length && head[to]! >= 0x80) to++;
  const run = head.subarray(from, Math.min(to, from + 24));
  return { utf8: run.toString('utf8'), gbk: new TextDecoder('gb18030').decode(run) };
}

async function hashAndCheckUtf8(file: string): Promise<Scanned> {
  const hash = createHash('sha256');
  const text = new TextHasher(hash);
  let bytes = 0;
  let utf8 = true;
  let bom: boolean | null = null;
  let carry = Buffer.alloc(0);
  const scan = edgeBlankScanner();
  let edgeBlanks = false;
  let nonAscii = false;
  let cjk = false;
  for await (const chunk of createReadStream(file, { highWaterMark: 4 << 20 }) as AsyncIterable<Buffer>) {
    // before the bytes' hash takes the chunk; only while the file is UTF-8: the text hash of a GBK or gzipped
    // file is not this one (decodeGb18030, the decompressed copy), and normalising its bytes would be wasted
    if (utf8) text.update(chunk);
    hash.update(chunk);
    bytes += chunk.length;
    if (bom === null) bom = chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf;
    if (!utf8) continue;
    const buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    const tail = incompleteTail(buf);
    const whole = buf.subarray(0, buf.length - tail);
    if (!isUtf8(whole)) utf8 = false;
    else {
      if (!edgeBlanks) edgeBlanks = scan(whole);
      if (!cjk && !isAscii(whole)) {
        nonAscii = true;
        cjk = CJK_LEADS.some((lead) => whole.includes(lead));
      }
    }
    carry = Buffer.from(buf.subarray(buf.length - tail));
  }
  if (carry.length > 0) utf8 = false;
  // the end of the file is a field edge too: a last value ending in a space with no line break after it
  if (utf8 && !edgeBlanks) edgeBlanks = scan(Buffer.from([0x0a]));
  const textHash = text.digest();
  return {
    hash: hash.digest('hex'),
    bytes,
    utf8,
    bom: bom ?? false,
    edgeBlanks: edgeBlanks || !utf8,
    text: { ...textHash, blank: text.blank, multiline: text.multiline },
    utf8WithoutCjk: utf8 && nonAscii && !cjk,
  };
}

async function isGzip(file: string): Promise<boolean> {
  if (file.endsWith('.gz')) return true;
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/**
 * Decodes a GB18030 file to UTF-8 chunk by chunk (no whole-file string), with the text's hash (TextHasher);
 * null if a byte sequence is invalid.
 */
async function decodeGb18030(from: string, to: string): Promise<Scanned['text'] | null> {
  const decoder = new TextDecoder('gb18030', { fatal: true });
  const text = new TextHasher();
  async function* decode(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      const utf8 = Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8');
      text.update(utf8);
      yield utf8;
    }
    const last = Buffer.from(decoder.decode(), 'utf8');
    text.update(last);
    yield last;
  }
  try {
    await pipeline(createReadStream(from), decode, createWriteStream(to));
    return { ...text.digest(), blank: text.blank, multiline: text.multiline };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_ENCODING_INVALID_ENCODED_DATA') throw error;
    await rm(to, { force: true });
    return null;
  }
}

async function gunzip(file: string, to: string, hash: string): Promise<void> {
  try {
    await pipeline(createReadStream(file), createGunzip(), createWriteStream(to));
  } catch (cause) {
    await rm(to, { force: true });
    if (!(cause as NodeJS.ErrnoException).code?.startsWith('Z_')) throw cause;
    // zlib's own text (incorrect header check, unexpected end of file) stays after the Chinese, for whoever
    // inspects the file
    const what =
      (cause as NodeJS.ErrnoException).code === 'Z_BUF_ERROR'
        ? '文件不完整（提前结束）'
        : '不是有效的 gzip 数据或已损坏';
    throw new DecodeError(
      `gzip 解压失败：${what}，文件可能已损坏或未传完整（${(cause as Error).message}）`,
      hash,
      null,
    );
  }
}

/**
 * The path the loaders read a UTF-8 text from: for a CSV text whose lines end in CR alone (TextHasher read it
 * so: crContent), a copy with LF line breaks, so that DuckDB's scan and the careful path read the lines of
 * its LF twin, however its last line ends (CR, CR LF); else `from` itself. `temp`: `from` is a copy of ours.
 */
async function lfCopy(
  file: string,
  text: Scanned['text'],
  from: string,
  stem: string,
  temp: boolean,
): Promise<string> {
  if (formatOf(file) !== 'csv' || text.crContent === undefined) return from;
  const to = `${stem}.lf`;
  async function* toLf(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      const copy = Buffer.from(chunk);
      for (let i = copy.indexOf(0x0d); i !== -1; i = copy.indexOf(0x0d, i + 1)) copy[i] = 0x0a;
      yield copy;
    }
  }
  await pipeline(createReadStream(from), toLf, createWriteStream(to));
  if (temp) await rm(from, { force: true });
  return to;
}

/** Inspects a file; tmpDir receives decompressed or re-encoded copies. Throws DecodeError for bad bytes. */
export async function inspectFile(file: string, tmpDir: string): Promise<InspectedFile> {
  const original = await hashAndCheckUtf8(file);
  const gzip = await isGzip(file);
  await mkdir(tmpDir, { recursive: true });
  const base = { path: file, hash: original.hash, bytes: original.bytes, gzip };
  const stem = path.join(tmpDir, original.hash.slice(0, 16));
  const plainPath = gzip ? `${stem}.plain` : file;
  if (gzip) await gunzip(file, plainPath, original.hash);
  try {
    const plain = gzip ? await hashAndCheckUtf8(plainPath) : original;
    // valid UTF-8 is UTF-8, unless it holds no Chinese that way and is all Chinese read as GBK
    // a BOM says UTF-8; without one, a text that reads as well in GBK is set aside rather than guessed
    const both = plain.utf8WithoutCjk && !plain.bom ? await gbkOrUtf8(plainPath) : null;
    if (both) {
      throw new DecodeError(
        `文件编码无法确定：按 UTF-8 读作“${both.utf8}”，按 GBK 读作“${both.gbk}”，两种读法都有效，` +
          '为免存入乱码，整个文件未载入；请以带 BOM 的 UTF-8 重新导出（带 BOM 即按 UTF-8 读取）',
        original.hash,
        await countNonBlankLines(plainPath),
      );
    }
    if (plain.utf8) {
      const encoding = plain.bom ? 'utf-8-bom' : 'utf-8';
      const utf8Path = await lfCopy(file, plain.text, plainPath, stem, gzip);
      return { ...base, text: plain.text, utf8Path, encoding, edgeBlanks: plain.edgeBlanks };
    }
    const damage = await utf8Damage(plainPath);
    if (damage.valid >= 16 && damage.valid >= 8 * damage.invalid) {
      throw new DecodeError(
        `文件看起来是 UTF-8 编码，但第 ${damage.firstBadLine} 行起有 ${damage.invalid} 处无效的字节（文件可能已损坏或被截断）；` +
          '为免把乱码当作 GBK 载入，整个文件未载入，请重新导出',
        original.hash,
        await countNonBlankLines(plainPath),
      );
    }
    const utf8Path = `${stem}.utf8`;
    const text = await decodeGb18030(plainPath, utf8Path);
    if (text) {
      if (gzip) await rm(plainPath, { force: true }); // only the re-encoded copy is read from here on
      const read = await lfCopy(file, text, utf8Path, stem, true);
      return { ...base, text, utf8Path: read, encoding: 'gb18030', edgeBlanks: true };
    }
    const badLine = await firstUndecodableLine(plainPath, 'gb18030');
    const where = badLine === null ? '' : `（第 ${badLine} 行起无法按 GB18030 解码）`;
    throw new DecodeError(
      `文件编码无法识别：既不是 UTF-8，也不是有效的 GBK/GB18030 编码${where}；请以 UTF-8 或 GBK 重新导出`,
      original.hash,
      await countNonBlankLines(plainPath),
    );
  } catch (error) {
    if (gzip) await rm(plainPath, { force: true });
    throw error;
  }
}
