// Reads a file once to learn what it is: content hash (the batch ledger's key), gzip, encoding, header row.
// Encoding: a BOM or valid UTF-8 is UTF-8; anything else must decode strictly as GB18030 (a superset of
// GBK) or the file is quarantined whole. Files that are not plain UTF-8 are rewritten as UTF-8 to a temp
// file so that DuckDB, which reads UTF-8 only, can parse them itself.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

export type Encoding = 'utf-8' | 'utf-8-bom' | 'gb18030';

export interface InspectedFile {
  path: string;
  hash: string;
  bytes: number;
  gzip: boolean;
  /** A UTF-8 file DuckDB can read: the original or a decoded copy under tmpDir. */
  utf8Path: string;
  encoding: Encoding;
}

export class DecodeError extends Error {
  constructor(
    message: string,
    readonly hash: string,
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

async function hashAndCheckUtf8(
  file: string,
): Promise<{ hash: string; bytes: number; utf8: boolean; bom: boolean }> {
  const hash = createHash('sha256');
  let bytes = 0;
  let utf8 = true;
  let bom: boolean | null = null;
  let carry = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, { highWaterMark: 4 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
    if (bom === null) bom = chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf;
    if (!utf8) continue;
    const buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    const tail = incompleteTail(buf);
    if (!isUtf8(buf.subarray(0, buf.length - tail))) utf8 = false;
    carry = Buffer.from(buf.subarray(buf.length - tail));
  }
  if (carry.length > 0) utf8 = false;
  return { hash: hash.digest('hex'), bytes, utf8, bom: bom ?? false };
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

/** Inspects a file; tmpDir receives decompressed or re-encoded copies. Throws DecodeError for bad bytes. */
export async function inspectFile(file: string, tmpDir: string): Promise<InspectedFile> {
  const original = await hashAndCheckUtf8(file);
  const gzip = await isGzip(file);
  await mkdir(tmpDir, { recursive: true });
  let plainPath = file;
  let plain = original;
  if (gzip) {
    plainPath = path.join(tmpDir, `${original.hash.slice(0, 16)}.plain`);
    try {
      await pipeline(createReadStream(file), createGunzip(), createWriteStream(plainPath));
    } catch (cause) {
      throw new DecodeError(`gzip 解压失败：${(cause as Error).message}`, original.hash);
    }
    plain = await hashAndCheckUtf8(plainPath);
  }
  const base = { path: file, hash: original.hash, bytes: original.bytes, gzip };
  if (plain.utf8) return { ...base, utf8Path: plainPath, encoding: plain.bom ? 'utf-8-bom' : 'utf-8' };
  let text: string;
  try {
    text = new TextDecoder('gb18030', { fatal: true }).decode(await readFile(plainPath));
  } catch {
    throw new DecodeError('文件编码无法识别：既不是 UTF-8，也不是有效的 GBK/GB18030 编码', original.hash);
  }
  const utf8Path = path.join(tmpDir, `${original.hash.slice(0, 16)}.utf8`);
  await writeFile(utf8Path, text, 'utf8');
  return { ...base, utf8Path, encoding: 'gb18030' };
}
