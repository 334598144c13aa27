// Local time for everything stored or shown: Asia/Shanghai wall time, which has been UTC+8 without daylight
// saving since 1991, so it is plain arithmetic and never depends on the process time zone.
const OFFSET_MS = 8 * 3_600_000;

/** "YYYY-MM-DD HH:MM:SS" (with ".mmm" when millis is set) in Asia/Shanghai. */
export function localTimestamp(instant: Date, options: { millis?: boolean } = {}): string {
  const text = new Date(instant.getTime() + OFFSET_MS).toISOString().replace('T', ' ');
  return options.millis ? text.slice(0, 23) : text.slice(0, 19);
}

/** The Asia/Shanghai calendar date of an instant. */
export function localDate(instant: Date): string {
  return localTimestamp(instant).slice(0, 10);
}
