/** Vietnam time (Asia/Ho_Chi_Minh, UTC+7 all year) as people read it: `dd/mm/yyyy HH:mm` (PRODUCT.md §10). */
const VIETNAM_TIME_ZONE = "Asia/Ho_Chi_Minh";
/** Vietnam keeps no daylight saving time: local midnight and 06:00 are fixed offsets from UTC. */
export const VIETNAM_OFFSET_MS = 7 * 3600_000;

const dateTime = new Intl.DateTimeFormat("vi-VN", {
  timeZone: VIETNAM_TIME_ZONE,
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** “23/11/2026 07:30” for an ISO time or epoch milliseconds. */
export function formatDateTime(at: string | number): string {
  const p = Object.fromEntries(dateTime.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/** “15/12/2024” for a date (`yyyy-mm-dd`). */
export function formatDate(date: string): string {
  const [y, m, d] = date.split("-");
  return `${d}/${m}/${y}`;
}

/** A date alone (“2026-01-15”) as the last millisecond of that day in Vietnam; a date-time as it says. */
export function endOfDayOrMoment(value: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T23:59:59.999+07:00`) : Date.parse(value);
}

/** The Vietnam calendar date of a moment, as `yyyy-mm-dd`. */
function vietnamDate(at: string | number): string {
  return new Date(new Date(at).getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
}

/** Today's date in Vietnam (`yyyy-mm-dd`): the day a unit list comes into force, the day a token expires. */
export function vietnamToday(now: number = Date.now()): string {
  return vietnamDate(now);
}
