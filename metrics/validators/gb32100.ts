// 统一社会信用代码 (GB 32100-2015): 18 characters over the code alphabet (digits and capital letters without
// I, O, S, V, Z), the last one a weighted mod-31 check character. Characters 3-8 are the registering
// authority's 行政区划码 (GB/T 2260): six digits with a province prefix, or 100000 for a national authority;
// this is what rejects the all-zero placeholder, whose check character happens to fit. The embedded
// organisation code (characters 9-17, GB 11714) is not checked on its own: codes assigned since 2015 are not
// all known to carry its check character. The value is judged as supplied: lowercase letters or full-width
// digits are non-conforming (规范性), not silently repaired.
import { checkRegionCode } from './region-code.ts';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character the first 17 characters call for (they must be in the code alphabet). */
export function gb32100CheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]!) * WEIGHTS[i]!;
  return ALPHABET[(31 - (sum % 31)) % 31]!;
}

/** null when the code conforms, else the reason in Chinese. */
export function checkGb32100(value: string): string | null {
  const chars = [...value];
  if (chars.length !== 18) return `统一社会信用代码应为 18 位（实为 ${chars.length} 位）`;
  const bad = chars.find((c) => !ALPHABET.includes(c));
  if (bad !== undefined) return `统一社会信用代码含有非法字符「${bad}」`;
  const region = value.slice(2, 8);
  if (region !== '100000' && checkRegionCode(region) !== null)
    return `统一社会信用代码第 3—8 位「${region}」不是登记管理机关的行政区划码`;
  const expected = gb32100CheckChar(value);
  return value[17] === expected ? null : `统一社会信用代码校验位错误（应为 ${expected}）`;
}
