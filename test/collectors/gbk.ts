// Encodes text as GBK for tests, with no dependency: the table is the inverse of Node's own strict GB18030
// decoder over every two-byte GBK code. Characters outside GBK (4-byte GB18030) are written by hand in tests.
let table: Map<string, Buffer> | null = null;

function gbkTable(): Map<string, Buffer> {
  if (table) return table;
  table = new Map();
  const decoder = new TextDecoder('gb18030', { fatal: true });
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const bytes = Buffer.from([lead, trail]);
      let char: string;
      try {
        char = decoder.decode(bytes);
      } catch (error) {
        if (error instanceof TypeError) continue; // an unassigned code
        throw error;
      }
      if (!table.has(char)) table.set(char, bytes);
    }
  }
  return table;
}

/** GBK bytes of text; throws on a character GBK cannot encode. */
export function encodeGbk(text: string): Buffer {
  const codes = gbkTable();
  const parts: Buffer[] = [];
  for (const char of text) {
    if (char.charCodeAt(0) < 0x80) parts.push(Buffer.from(char, 'latin1'));
    else {
      const bytes = codes.get(char);
      if (!bytes) throw new Error(`test helper: ${char} is not in GBK`);
      parts.push(bytes);
    }
  }
  return Buffer.concat(parts);
}
