// Parses the YAML text of a config file. A syntax error becomes a ConfigError naming the file, line and column,
// in Chinese (the parser's own first line follows in brackets: it is exact, and whoever debugs reads it); a
// file that is not UTF-8 (Notepad's "ANSI", GBK) is refused, not read as garbled text. The parsed source keeps
// where each key was written, so that a schema error names its line and column too (YamlSource.at).
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type ErrorCode, type YAMLError } from 'yaml';
import { ConfigError } from './errors.ts';

export interface YamlSource {
  data: unknown;
  /** Where the entry at a key path was written, as "（第 L 行第 C 列）"; the deepest entry written when the path
   * names one that is missing (a missing key: its parent); '' for the root. */
  at(path: readonly PropertyKey[]): string;
}

const SYNTAX: Partial<Record<ErrorCode, string>> = {
  TAB_AS_INDENT: '缩进中不能使用制表符（Tab），请改用空格',
  DUPLICATE_KEY: '键重复：同一层级中每个键只能出现一次',
  BAD_INDENT: '缩进不正确（检查这一行和上一行的缩进，以及括号是否闭合）',
  BLOCK_AS_IMPLICIT_KEY: '键的写法不正确：键应写在一行内，后跟冒号和空格',
  MULTILINE_IMPLICIT_KEY: '键的写法不正确：键应写在一行内，后跟冒号和空格',
  MISSING_CHAR: '缺少闭合的引号或括号',
  UNEXPECTED_TOKEN: '此处的内容无法识别（检查冒号后的空格、引号和括号）',
  BAD_SCALAR_START: '取值的开头字符不能直接使用（以 @、` 等开头的取值应加引号）',
  BLOCK_IN_FLOW: '花括号或方括号内不能换行写入多行结构',
  MULTIPLE_DOCS: '文件中只能有一个 YAML 文档（删除多余的 ---）',
};

function syntaxError(file: string, error: YAMLError): ConfigError {
  const firstLine = error.message.split('\n')[0]?.replace(/:$/, '') ?? String(error);
  const pos = error.linePos?.[0];
  const where = pos ? `（第 ${pos.line} 行第 ${pos.col} 列）` : '';
  const chinese = SYNTAX[error.code];
  return new ConfigError(file, [
    `YAML 格式错误${where}：${chinese ? `${chinese}（${firstLine}）` : firstLine}`,
  ]);
}

/**
 * `stored`: a text a run kept, read as it was read then: one saved in GBK before non-UTF-8 files were refused
 * was stored with its U+FFFD, and must still recompute.
 */
export function readYaml(file: string, text: string, options: { stored?: boolean } = {}): YamlSource {
  // readFileSync(…, 'utf8') turns bytes that are not UTF-8 into U+FFFD: a config never holds that character
  const bad = options.stored ? -1 : text.indexOf('\uFFFD');
  if (bad !== -1) {
    const line = text.slice(0, bad).split('\n').length;
    throw new ConfigError(file, [
      `第 ${line} 行：文件不是 UTF-8 编码（可能以 GBK/ANSI 保存）：请在编辑器中以 UTF-8 编码另存该文件`,
    ]);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) throw syntaxError(file, doc.errors[0]!);
  const data: unknown = doc.toJS();
  const at = (path: readonly PropertyKey[]): string => {
    let node: unknown = doc.contents;
    let offset: number | undefined;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) break;
        offset = isScalar(pair.key) ? pair.key.range?.[0] : offset;
        node = pair.value;
      } else if (isSeq(node)) {
        const item = node.items[Number(segment)];
        if (item === undefined) break;
        offset = (item as { range?: [number, number, number] }).range?.[0] ?? offset;
        node = item;
      } else break;
    }
    if (offset === undefined) return '';
    const pos = lineCounter.linePos(offset);
    return `（第 ${pos.line} 行第 ${pos.col} 列）`;
  };
  return { data, at };
}
