// 公民身份号码 (GB 11643-1999): 17 digits (6-digit address code, 8-digit birth date YYYYMMDD, 3-digit
// sequence) and a mod 11-2 check character, a digit or capital X. The 15-digit numbers of the 1984 scheme
// are not accepted: the standard replaced them, and shared data is expected in the current form.
import { isRealDate } from './calendar-date.ts';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** The check character the first 17 digits call for. */
export function gb11643CheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return '10X98765432'[sum % 11]!;
}

/**
 * Birth years before this are a keying error (0001, 1090): the numbers were first issued in 1985, and the
 * standard's own example 440524188001010014 is of a person born in 1880.
 */
export const EARLIEST_BIRTH_YEAR = 1800;

/**
 * null when the number conforms, else the reason in Chinese. `on` (YYYY-MM-DD), when given, is the day the
 * value was recorded by (the sample's date): a birth date after it cannot be right.
 */
export function checkGb11643(value: string, on?: string): string | null {
  if (!/^\d{17}[\dX]$/.test(value)) return '公民身份号码应为 17 位数字加 1 位校验码（数字或大写 X）';
  const birth = value.slice(6, 14);
  if (!isRealDate(Number(birth.slice(0, 4)), Number(birth.slice(4, 6)), Number(birth.slice(6, 8))))
    return `公民身份号码中的出生日期 ${birth} 不存在`;
  if (Number(birth.slice(0, 4)) < EARLIEST_BIRTH_YEAR)
    return `公民身份号码中的出生日期 ${birth} 早于 ${EARLIEST_BIRTH_YEAR} 年`;
  const birthDay = `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`;
  if (on !== undefined && birthDay > on) return `公民身份号码中的出生日期 ${birth} 晚于数据日期 ${on}`;
  const expected = gb11643CheckChar(value);
  return value[17] === expected ? null : `公民身份号码校验码错误（应为 ${expected}）`;
}
