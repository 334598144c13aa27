// Commander writes its own parse errors and help headings in English; users read Chinese. Its texts are
// stable per major version (commander 14): each known one is matched and said in Chinese, anything else is
// passed through unchanged rather than lost.
import type { HelpConfiguration } from 'commander';

const ERRORS: Array<[RegExp, (...m: string[]) => string]> = [
  [/^error: required option '(.+)' not specified$/, (o) => `缺少必填选项 ${o}`],
  [/^error: unknown option '(.+?)'$/, (o) => `未知选项 ${o}`],
  [/^error: unknown command '(.+?)'$/, (c) => `未知命令 ${c}`],
  [/^error: missing required argument '(.+)'$/, (a) => `缺少必填参数 ${a}`],
  [/^error: option '(.+)' argument missing$/, (o) => `选项 ${o} 缺少取值`],
  [
    /^error: option '(.+)' argument '(.*)' is invalid\. Allowed choices are (.+)\.$/,
    (o, v, c) => `选项 ${o} 的取值“${v}”无效，可选：${c}`,
  ],
  [
    /^error: too many arguments(?: for '(.+)')?\. Expected (\d+) arguments? but got (\d+)\.$/,
    (cmd, expected, got) => `${cmd ? `命令 ${cmd} ` : ''}参数过多：应为 ${expected} 个，收到 ${got} 个`,
  ],
  [/^error: (.+) cannot be used with (.+)$/, (a, b) => `${a} 不能与 ${b} 同时使用`],
  [/^\(Did you mean (.+)\?\)$/, (s) => `（是否要输入 ${s}？）`],
];

/** A commander error text (one or more lines) in Chinese, as `错误：…`. */
export function commanderErrorZh(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      for (const [pattern, say] of ERRORS) {
        const m = pattern.exec(line);
        if (m) return `${line.startsWith('error: ') ? '错误：' : ''}${say(...m.slice(1))}`;
      }
      return line;
    })
    .join('\n');
}

const TITLES: Record<string, string> = {
  'Usage:': '用法：',
  'Arguments:': '参数：',
  'Options:': '选项：',
  'Global Options:': '全局选项：',
  'Commands:': '命令：',
};

const extras = (text: string) =>
  text
    .replace(/\(choices: (.*?), default: (.*?)\)$/, '（可选：$1；默认：$2）')
    .replace(/\(default: (.*?)\)$/, '（默认：$1）')
    .replace(/\(choices: (.*?)\)$/, '（可选：$1）');

// East Asian wide characters take two terminal columns (Hangul, CJK, full-width forms, ideographs beyond the BMP)
const WIDE =
  /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/gu;

/** Help headings, usage placeholders and the (default: …) notes in Chinese; for program.configureHelp. */
export const HELP_ZH: HelpConfiguration = {
  // columns on a terminal, so that Chinese terms and descriptions line up and wrap where they should
  displayWidth(text) {
    const base = Object.getPrototypeOf(this).displayWidth.call(this, text) as number;
    return base + (text.match(WIDE)?.length ?? 0);
  },
  styleTitle: (title) => TITLES[title] ?? title,
  styleUsage: (usage) =>
    usage.replace('[options]', '[选项]').replace('[command]', '[命令]').replace('<command>', '<命令>'),
  subcommandTerm(cmd) {
    const base = Object.getPrototypeOf(this).subcommandTerm.call(this, cmd) as string;
    return base.replace('[options]', '[选项]');
  },
  optionDescription(option) {
    const base = Object.getPrototypeOf(this).optionDescription.call(this, option) as string;
    return extras(base);
  },
  argumentDescription(argument) {
    const base = Object.getPrototypeOf(this).argumentDescription.call(this, argument) as string;
    return extras(base);
  },
};
