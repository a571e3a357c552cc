// @ts-check
/** The tool's inputs and outputs: CSV files (units, emails, catalog, sources.csv) and period names. */
import { readFile } from "node:fs/promises";
import { parseCsv, toCsv } from "../csv.mjs";

export { parseCsv, toCsv };

/** @param {string} file */
export async function readCsvFile(file) {
  try {
    return parseCsv(await readFile(file, "utf8"));
  } catch (err) {
    throw new Error(`Không đọc được tệp ${file}: ${/** @type {Error} */ (err).message}`);
  }
}

/**
 * @typedef {{ code: string, label: string, unit: string, kind: string, integer: boolean }} Indicator
 * @typedef {{ code: string, name: string, fullName: string, kind: string, parentCode: string }} Unit
 */

/** The typed indicators of the catalog (ratios are computed, never typed). @param {string} file @returns {Promise<Indicator[]>} */
export async function readCatalog(file) {
  return (await readCsvFile(file))
    .filter((r) => r.code && r.kind !== "ratio")
    .map((r) => ({
      code: r.code ?? "",
      label: r.label_vi ?? "",
      unit: r.unit_vi ?? "",
      kind: r.kind ?? "count",
      integer: r.integer === "yes" || r.kind === "count" || r.kind === "flag",
    }));
}

/** Communes (commune, ward, special zone) of a province, from a §2 units CSV. @param {string} file @param {string} province */
export async function readCommunes(file, province) {
  const all = (await readCsvFile(file)).map((r) => ({
    code: r.code ?? "",
    name: r.name ?? "",
    fullName: r.full_name || r.name || "",
    kind: r.kind ?? "",
    parentCode: r.parent_code ?? "",
  }));
  const provinceRow = all.find((u) => u.code === province && !u.parentCode);
  const communes = all.filter((u) => u.parentCode === province && ["commune", "ward", "special_zone"].includes(u.kind));
  return { province: provinceRow ?? null, communes };
}

/** `unit_code,email` rows (several rows, or several addresses split by `;` or spaces) → code → emails. @param {string} file */
export async function readEmails(file) {
  /** @type {Map<string, string[]>} */
  const byUnit = new Map();
  for (const r of await readCsvFile(file)) {
    const code = r.unit_code || r.code || "";
    const emails = (r.email || r.emails || "").split(/[;\s]+/).filter(Boolean);
    if (!code) continue;
    byUnit.set(code, [...new Set([...(byUnit.get(code) ?? []), ...emails.map((e) => e.toLowerCase())])]);
  }
  return byUnit;
}

const PERIOD_RE = /^(\d{4})(?:-(H[12]|Q[1-4]|M(?:0[1-9]|1[0-2])))?$/;

/** Whether a period code is valid (PRODUCT.md §2). @param {string} code */
export const isPeriodCode = (code) => PERIOD_RE.test(code);

/** Vietnamese heading of a period, as the Worker's form reader recognises it. @param {string} code */
export function periodHeading(code) {
  const m = PERIOD_RE.exec(code);
  if (!m) return code;
  const year = m[1];
  const part = m[2];
  if (!part) return `Năm ${year}`;
  if (part[0] === "H") return part === "H1" ? `6 tháng đầu năm ${year}` : `6 tháng cuối năm ${year}`;
  if (part[0] === "Q") return `Quý ${["I", "II", "III", "IV"][Number(part[1]) - 1]}/${year}`;
  return `Tháng ${Number(part.slice(1))}/${year}`;
}

/** The same period a year earlier, shown beside it on the form. @param {string} code */
export const previousPeriod = (code) => String(Number(code.slice(0, 4)) - 1) + code.slice(4);

/** A sheet URL that opens the right tab. @param {string} id @param {number | null | undefined} gid */
export const sheetUrl = (id, gid) =>
  `https://docs.google.com/spreadsheets/d/${id}/edit${gid === null || gid === undefined ? "" : `#gid=${gid}`}`;

/** dd/mm/yyyy HH:mm in Asia/Ho_Chi_Minh. @param {string | null | undefined} iso */
export function viDateTime(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("vi-VN", {
      timeZone: "Asia/Ho_Chi_Minh",
      day: "2-digit",
      month: "2-digit",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`;
}

const VI_NUMBER = new Intl.NumberFormat("vi-VN");
/** A count as Vietnamese write it: 21.762. @param {number} n */
export const viNumber = (n) => VI_NUMBER.format(n);

/** A running count on stderr: a bar on a terminal, a line every tenth otherwise. @param {number} total @param {string} label */
export function progress(total, label, stream = process.stderr) {
  let done = 0;
  const step = Math.max(1, Math.ceil(total / 10));
  return {
    /** @param {string} [what] */
    tick(what = "") {
      done++;
      if (stream.isTTY) {
        const width = 24;
        const filled = Math.round((done / Math.max(total, 1)) * width);
        stream.write(
          `\r${label} [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${viNumber(done)}/${viNumber(total)} ${what.slice(0, 40).padEnd(40)}`,
        );
        if (done === total) stream.write("\n");
      } else if (done % step === 0 || done === total) {
        stream.write(`${label}: ${viNumber(done)}/${viNumber(total)}${what ? ` — ${what}` : ""}\n`);
      }
    },
  };
}

/** The tab the Worker writes its check results into (worker/sync/feedback.ts names it the same). */
export const FEEDBACK_TAB = "Kiểm tra số liệu";
