// Parses the YAML text of a config file; a syntax error becomes a ConfigError naming the file and line.
// Only the first line of the parser's message is kept: the rest is a code excerpt that clutters the CLI.
import { parse as parseYaml } from 'yaml';
import { ConfigError } from './errors.ts';

export function parseYamlText(file: string, text: string): unknown {
  try {
    return parseYaml(text);
  } catch (cause) {
    const firstLine = (cause as Error).message.split('\n')[0]?.replace(/:$/, '') ?? String(cause);
    throw new ConfigError(file, [`not valid YAML: ${firstLine}`]);
  }
}
