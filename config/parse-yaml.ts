// Parses the YAML text of a config file; a syntax error becomes a ConfigError naming the file, line and column.
// Only the first line of the parser's message is kept: the rest is a code excerpt that clutters the CLI.
import { parse as parseYaml } from 'yaml';
import { ConfigError } from './errors.ts';

export function parseYamlText(file: string, text: string): unknown {
  try {
    return parseYaml(text);
  } catch (cause) {
    const firstLine = (cause as Error).message.split('\n')[0]?.replace(/:$/, '') ?? String(cause);
    // the parser's position, so that the Chinese part names the place too (its own text stays, it is exact)
    const pos = (cause as { linePos?: Array<{ line: number; col: number }> }).linePos?.[0];
    const where = pos ? `（第 ${pos.line} 行第 ${pos.col} 列）` : '';
    throw new ConfigError(file, [`YAML 格式错误${where}：${firstLine}`]);
  }
}
