/**
 * Dates as Vietnam writes them, whatever the browser's language: typed and shown as dd/mm/yyyy (with HH:mm, Vietnam
 * time, where a time is needed) and sent in the ISO form the API takes. The browser's own date picker follows the
 * browser's language — an English one shows and expects “01/15/2026” — so it is not used.
 */
import type { JSX } from "preact";
import { endOfDayOrMoment, formatDateTime } from "../../../../domain/time";

/** A moment (ISO or epoch milliseconds) as the field shows it: its Vietnam date, and its time when asked. */
export function dateText(at: string | number, time = false): string {
  const shown = formatDateTime(at);
  // formatDateTime is “dd/mm/yyyy HH:mm”: the date alone is its first ten characters.
  return time ? shown : shown.slice(0, 10);
}

type DateRead = { ok: true; value: string } | { ok: false; message: string };

const SEP = "[/.\\-]";
const DATE = new RegExp(`^(\\d{1,2})${SEP}(\\d{1,2})${SEP}(\\d{4})$`);
const TIME = /^(\d{1,2})[:hg](\d{2})$/i;
const DIGITS = /^(\d{2})(\d{2})(\d{4})$/;

const two = (n: number) => String(n).padStart(2, "0");

/**
 * What the person typed, read as a Vietnam date (`yyyy-mm-dd`, which the API takes as the end of that day) or, with
 * `time`, a moment in Vietnam time (`yyyy-mm-ddTHH:mm:00+07:00`); a Vietnamese message saying what is wrong when it
 * cannot be read. Day before month, always: “01/15/2026” is refused, not read as 15 January.
 */
export function readDate(text: string, time = false): DateRead {
  const typed = text.trim().replace(/\s+/g, " ");
  const form = time ? "ngày/tháng/năm giờ:phút" : "ngày/tháng/năm";
  const example = time ? "15/01/2026 08:30" : "15/01/2026";
  const fail = (message: string): DateRead => ({ ok: false, message });
  if (!typed) return fail(`Nhập ${time ? "ngày và giờ" : "ngày"} theo dạng ${form}, ví dụ ${example}`);
  const [datePart = "", timePart, ...rest] = typed.split(" ");
  const date = DATE.exec(datePart) ?? DIGITS.exec(datePart);
  if (!date || rest.length > 0 || (!time && timePart !== undefined))
    return fail(`“${typed}” không đúng dạng ${form}: nhập ví dụ ${example}`);
  const [day, month, year] = [Number(date[1]), Number(date[2]), Number(date[3])];
  if (month < 1 || month > 12)
    return fail(`Không có tháng ${month}: nhập ngày trước, tháng sau (${form}), ví dụ ${example}`);
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) return fail(`Tháng ${month}/${year} không có ngày ${day} (tháng này có ${days} ngày)`);
  const iso = `${year}-${two(month)}-${two(day)}`;
  if (!time) return { ok: true, value: iso };
  if (timePart === undefined) return fail(`Nhập cả giờ (giờ Việt Nam) sau ngày, ví dụ ${example}`);
  const clock = TIME.exec(timePart);
  const [hour, minute] = clock ? [Number(clock[1]), Number(clock[2])] : [-1, -1];
  if (hour < 0 || hour > 23 || minute > 59)
    return fail(`Giờ “${timePart}” không đúng: giờ từ 0 đến 23, phút từ 00 đến 59, ví dụ 08:30`);
  return { ok: true, value: `${iso}T${two(hour)}:${two(minute)}:00+07:00` };
}

/**
 * A date (or date and time) typed as Vietnam writes it. Controlled by its text; the form reads it with `readDate`
 * when it is sent. Leaving the field writes a date it could read in full (“1/2/2027” becomes “01/02/2027”).
 */
export function DateField(
  props: {
    id: string;
    value: string;
    onInput: (text: string) => void;
    time?: boolean;
  } & Omit<JSX.InputHTMLAttributes<HTMLInputElement>, "value" | "onInput" | "type">,
) {
  const { id, value, onInput, time = false, ...rest } = props;
  return (
    <input
      {...rest}
      id={id}
      type="text"
      autoComplete="off"
      spellcheck={false}
      placeholder={time ? "dd/mm/yyyy hh:mm" : "dd/mm/yyyy"}
      value={value}
      onInput={(e) => onInput(e.currentTarget.value)}
      onBlur={() => {
        const read = readDate(value, time);
        if (read.ok) onInput(dateText(endOfDayOrMoment(read.value), time));
      }}
    />
  );
}

/** The hint under a date field: how to type it. */
export const dateHint = (time = false) =>
  time ? "Ngày/tháng/năm và giờ:phút theo giờ Việt Nam, ví dụ 15/01/2026 08:30." : "Ngày/tháng/năm, ví dụ 15/01/2026.";
