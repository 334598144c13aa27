// Byte-level scans for files that are not plain UTF-8 or cannot be parsed: how many data lines they hold,
// where decoding first fails, and how much of a file reads as UTF-8. A newline byte (0x0a) never occurs
// inside a multi-byte character in UTF-8 or GB18030, so splitting raw bytes on it is safe before decoding.
import { createReadStream } from 'node:fs';

/** Calls visit(line bytes without the newline, 1-based line number) until it returns false. */
async function scanLines(file: string, visit: (line: Buffer, lineNo: number) => boolean): Promise<void> {
  let pending = Buffer.alloc(0);
  let lineNo = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 4 << 20 }) as AsyncIterable<Buffer>) {
    let buf = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
    for (let nl = buf.indexOf(0x0a); nl !== -1; nl = buf.indexOf(0x0a)) {
      if (!visit(buf.subarray(0, nl), ++lineNo)) return;
      buf = buf.subarray(nl + 1);
    }
    pending = Buffer.from(buf);
  }
  if (pending.length > 0) visit(pending, lineNo + 1);
}

const isBlank = (line: Buffer): boolean => line.every((b) => b === 0x20 || b === 0x09 || b === 0x0d);

/** Lines with anything but spaces, tabs and carriage returns. */
export async function countNonBlankLines(file: string): Promise<number> {
  let count = 0;
  await scanLines(file, (line) => {
    if (!isBlank(line)) count++;
    return true;
  });
  return count;
}

/** The first line that does not decode strictly in the given encoding, or null if every line does. */
export async function firstUndecodableLine(file: string, encoding: string): Promise<number | null> {
  const decoder = new TextDecoder(encoding, { fatal: true });
  let found: number | null = null;
  await scanLines(file, (line, lineNo) => {
    try {
      decoder.decode(line);
      return true;
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      found = lineNo;
      return false;
    }
  });
  return found;
}

/**
 * Non-ASCII characters that read as valid UTF-8 and byte sequences that do not, with the first line of
 * the latter. GBK text reads as valid UTF-8 only by chance (well under half of its characters); a file
 * that is nearly all valid UTF-8 is a damaged UTF-8 file, which GB18030 might still "decode" into mojibake.
 */
export async function utf8Damage(
  file: string,
): Promise<{ valid: number; invalid: number; firstBadLine: number }> {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let valid = 0;
  let invalid = 0;
  let lines = 1;
  let firstBadLine = 0;
  const visit = (text: string): void => {
    for (const char of text) {
      if (char === '\n') lines++;
      else if (char === '\uFFFD') {
        invalid++;
        if (firstBadLine === 0) firstBadLine = lines;
      } else if (char.charCodeAt(0) >= 0x80) valid++;
    }
  };
  for await (const chunk of createReadStream(file, { highWaterMark: 4 << 20 }) as AsyncIterable<Buffer>) {
    visit(decoder.decode(chunk, { stream: true }));
  }
  visit(decoder.decode());
  return { valid, invalid, firstBadLine };
}
