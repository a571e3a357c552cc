/**
 * A province's own Word template (PRODUCT.md §13): checked at upload — every placeholder must be one this report can
 * fill, every loop closed — and filled with the report's figures. Placeholders are in braces: an indicator code (the
 * figure as the speech says it), `<code>_previous`, `<code>_change`, the report's facts, and the loop
 * `{#communes}…{/communes}` with each commune's `name`, `unit_code` and indicator codes. A placeholder Word split
 * across runs of text (a typed one often is) is read whole by docxtemplater.
 * @see https://docxtemplater.com/docs/api/
 */
import Docxtemplater from "docxtemplater";
import PizZip from "pizzip";
import { formatChange, formatFigure, formatIndicator, formatNumber } from "../../domain/numbers";
import { periodLabel } from "../../domain/periods";
import { formatDateTime } from "../../domain/time";
import { isCommuneKind } from "../../domain/units";
import type { Breakdown } from "../aggregate/breakdown";
import type { Summary, SummaryIndicator } from "../aggregate/summary";
import type { Indicator } from "../reference/catalog";

/** The facts of the whole report a template may name, beside the indicator codes. */
const FACTS = ["unit_name", "period_label", "as_of", "reported", "expected", "accepted"] as const;
const LOOP = "communes";
/** What each commune of the loop has, beside the indicator codes. */
const COMMUNE_FACTS = ["name", "unit_code"] as const;

/** The names a template may use at the top and inside `{#communes}`. */
function knownNames(codes: string[]) {
  const top = new Set<string>([...FACTS, LOOP, ...codes.flatMap((c) => [c, `${c}_previous`, `${c}_change`])]);
  return { top, commune: new Set<string>([...COMMUNE_FACTS, ...codes, ...top]) };
}

type Part = { type: string; value: string; module?: string; subparsed?: Part[] };
type TemplateError = Error & {
  properties?: {
    id?: string;
    xtag?: string;
    explanation?: string;
    openingtag?: string;
    closingtag?: string;
    errors?: TemplateError[];
  };
};

/** A docxtemplater error said in Vietnamese, naming the placeholder. */
function problemOf(e: TemplateError): string {
  const p = e.properties ?? {};
  const tag = p.xtag ?? "";
  switch (p.id) {
    case "unclosed_loop":
      return `vòng lặp {#${tag}} chưa đóng: thêm {/${tag}} ở chỗ vòng lặp kết thúc`;
    case "unopened_loop":
      return `thẻ đóng {/${tag}} không có thẻ mở {#${tag}} trước nó`;
    case "closing_tag_does_not_match_opening_tag":
      return `vòng lặp {#${p.openingtag}} lại đóng bằng {/${p.closingtag}}: thẻ đóng phải là {/${p.openingtag}}`;
    case "unclosed_tag":
      return `dấu “{” của “${tag}” chưa có dấu “}” đóng`;
    case "unopened_tag":
      return `dấu “}” sau “${tag}” không có dấu “{” mở`;
    case "duplicate_open_tag":
      return `“${tag}” có hai dấu “{” liền nhau`;
    case "duplicate_close_tag":
      return `“${tag}” có hai dấu “}” liền nhau`;
    case "unbalanced_loop_tags":
    case "loop_position_invalid":
      return `thẻ mở và thẻ đóng của một vòng lặp phải cùng nằm trong một bảng hoặc cùng ngoài bảng (${p.explanation ?? ""})`;
    default:
      return `mẫu có lỗi: ${p.explanation ?? e.message}`;
  }
}

const NOT_DOCX =
  "Tệp không phải văn bản Word (.docx): hãy lưu mẫu trong Word dưới dạng “Word Document (*.docx)” rồi tải lên lại";

/** Compiles the template; null with the problems (in Vietnamese) when it cannot be. */
function compile(file: Uint8Array): { doc: Docxtemplater; problems: [] } | { doc: null; problems: string[] } {
  let zip: PizZip;
  try {
    zip = new PizZip(file);
  } catch {
    return { doc: null, problems: [NOT_DOCX] };
  }
  if (!zip.file("word/document.xml")) return { doc: null, problems: [NOT_DOCX] };
  try {
    const doc = new Docxtemplater(zip, { paragraphLoop: true, linebreaks: true, errorLogging: false });
    return { doc, problems: [] };
  } catch (e) {
    const err = e as TemplateError;
    const all = err.properties?.errors?.length ? err.properties.errors : [err];
    return { doc: null, problems: [...new Set(all.map(problemOf))] };
  }
}

/**
 * The template's problems, each in Vietnamese naming its placeholder: a loop not closed, a brace not matched, a
 * placeholder this report does not know; none when it can be used.
 */
export function checkTemplate(file: Uint8Array, codes: string[]): string[] {
  const { doc, problems } = compile(file);
  if (!doc) return problems;
  const known = knownNames(codes);
  const unknown = new Set<string>();
  const raw = new Set<string>();
  const walk = (parts: Part[], inLoop: boolean) => {
    for (const part of parts) {
      if (part.type !== "placeholder") continue;
      if (part.module === "rawxml") raw.add(part.value);
      else if (!(inLoop ? known.commune : known.top).has(part.value)) unknown.add(part.value);
      if (part.subparsed) walk(part.subparsed, inLoop || part.value === LOOP);
    }
  };
  const compiled = (doc as unknown as { compiled: Record<string, { postparsed: Part[] }> }).compiled;
  for (const file of Object.values(compiled)) walk(file.postparsed, false);
  return [
    ...[...unknown].map((name) => `không có chỉ tiêu hay thông tin nào tên {${name}}`),
    ...[...raw].map((name) => `{@${name}} chèn mã Word thô, mẫu chỉ dùng {${name}}`),
  ];
}

/** A change like for like, as a speaker says it: “tăng 9,2%”, “giảm 0,4 điểm %”, “không đổi”; empty when none. */
function saidChange(i: SummaryIndicator): string {
  const c = i.comparable;
  if (!c || i.kind === "flag") return "";
  if (c.value === c.previous) return "không đổi";
  const verb = c.value > c.previous ? "tăng" : "giảm";
  const change = formatChange(c.value, c.previous, i.kind)?.replace(/^[+-]/, "");
  return change
    ? `${verb} ${change}`
    : `${verb} từ ${formatFigure(c.previous, i.kind)} lên ${formatFigure(c.value, i.kind)}`;
}

type Data = Record<string, string | Record<string, string>[]>;

/** One commune's figure in the loop: as the dashboard's commune view says it (“Đạt” for a flag), “—” when none. */
function communeFigure(f: { value: number | null; kind: Indicator["kind"]; approximate: boolean }): string {
  return f.value === null ? "—" : formatIndicator({ ...f, reporting: 1 }, true);
}

/**
 * What the placeholders are filled with: the summary's figures as the report says them, and one entry per unit one
 * level down (the communes of a province) from the breakdown of each indicator — the same figures, frozen or
 * accepted alike, as `/api/breakdown` gives them — in the official list's order. A commune's own report loops over
 * the commune itself.
 */
export function templateData(s: Summary, breakdowns: Breakdown[]): Data {
  const isCommune = isCommuneKind(s.unit.kind);
  const count = (n: number) => formatNumber(n, "count");
  const data: Data = {
    unit_name: s.unit.name,
    period_label: periodLabel(s.period),
    as_of: s.asOf ? formatDateTime(s.asOf) : "chưa đồng bộ",
    reported: count(s.coverage.reported),
    expected: count(s.coverage.expected),
    accepted: count(s.coverage.accepted),
  };
  for (const i of s.indicators) {
    data[i.code] = formatIndicator(i, isCommune);
    data[`${i.code}_previous`] = formatIndicator(
      { ...i, value: i.previous, reporting: i.previousReporting, approximate: false },
      isCommune,
    );
    data[`${i.code}_change`] = saidChange(i);
  }
  if (isCommune) {
    const own: Record<string, string> = { name: s.unit.name, unit_code: s.unit.code };
    for (const i of s.indicators) own[i.code] = communeFigure(i);
    data[LOOP] = [own];
    return data;
  }
  const units = new Map<string, Record<string, string>>();
  for (const b of breakdowns)
    for (const row of b.rows) {
      const entry = units.get(row.unit.code) ?? { name: row.unit.name, unit_code: row.unit.code };
      units.set(row.unit.code, entry);
      entry[b.indicator.code] = communeFigure({ ...row, kind: b.indicator.kind });
    }
  data[LOOP] = [...units.values()].sort((a, b) => (a.unit_code ?? "").localeCompare(b.unit_code ?? ""));
  return data;
}

/** The template filled with the data, as a .docx file. */
export function fillTemplate(file: Uint8Array, data: Data): Uint8Array {
  const { doc, problems } = compile(file);
  if (!doc) throw new Error(`stored template no longer compiles: ${problems.join("; ")}`);
  doc.render(data);
  return doc.getZip().generate({ type: "uint8array", compression: "DEFLATE" });
}
