// 行政区划代码 (GB/T 2260): six digits whose first two name a province-level division. Only the province
// prefix is checked: the list of prefectures and counties changes every year and is not bundled here.
// 统计用区划代码 (the NBS's statistical division codes): twelve digits, the six of GB/T 2260 followed by three
// for the township (乡级) and three for the village (村级).
const PROVINCES = new Set([
  ...['11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37'],
  ...['41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65'],
  ...['71', '81', '82'],
]);

/** null when the code conforms, else the reason in Chinese. */
export function checkRegionCode(value: string): string | null {
  if (!/^\d{6}$/.test(value)) return '行政区划代码应为 6 位数字';
  const prefix = value.slice(0, 2);
  return PROVINCES.has(prefix) ? null : `行政区划代码前两位 ${prefix} 不是省级行政区代码`;
}

/** null when the 12-digit 统计用区划代码 conforms (its first six digits a 行政区划代码), else the reason. */
export function checkStatisticalRegionCode(value: string): string | null {
  if (!/^\d{12}$/.test(value)) return '统计用区划代码应为 12 位数字';
  const prefix = value.slice(0, 2);
  return PROVINCES.has(prefix) ? null : `统计用区划代码前两位 ${prefix} 不是省级行政区代码`;
}
