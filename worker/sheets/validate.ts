/**
 * Checks across the cells of one reading (PRODUCT.md §5): a part larger than its whole and fewer members than teams
 * are errors (the value is not stored); doubtful figures, jumps against the previous period and missing required
 * indicators are warnings. Cell-level checks (not a number, negative, not an integer…) happen in `readCell`.
 */
import { formatExact } from "../../domain/numbers";
import { partSets, periodKind, periodLabel, previousYearPeriod } from "../../domain/periods";
import type { Indicator } from "../reference/catalog";
import { inSentence } from "./text";
import { type CellIssue, type CellValue, type SheetReading, slotKey } from "./types";

const TEAMS = "security_team_count";
const MEMBERS = "security_team_members";
const AREAS = "residential_area_total";
const MIN_MEMBERS_PER_TEAM = 3;
const JUMP_FACTOR = 3;
const JUMP_FLOOR = 10;

/** How a typed figure of a period is named beside its parts: “Số cả năm”. */
const WHOLE_WORDS: Record<string, string> = {
  year: "Số cả năm",
  half: "Số 6 tháng",
  nine_months: "Số 9 tháng",
  quarter: "Số cả quý",
  phase: "Số cả giai đoạn",
};
const PART_WORDS: Record<string, string> = { year: "năm", half: "kỳ 6 tháng", quarter: "quý", month: "tháng" };

/**
 * What the parts of a typed figure make (PRODUCT.md §14) when the same reading has a complete set of them, and how that
 * is said: “tổng 4 quý”, “số Quý IV/2025”; null without a complete set or a rule.
 */
function fromParts(
  v: CellValue,
  overTime: Indicator["overTime"],
  stored: Map<string, CellValue>,
): { value: number; said: string } | null {
  if (!overTime) return null;
  for (const set of partSets(v.period)) {
    const parts = set.map((p) => stored.get(slotKey(v.unitCode, v.indicatorCode, p)));
    if (parts.some((p) => p === undefined)) continue;
    const values = parts.map((p) => p?.value ?? 0);
    if (overTime === "last") return { value: values.at(-1) ?? 0, said: `số ${periodLabel(set.at(-1) ?? "")}` };
    const kinds = new Set(set.map(periodKind));
    const noun = kinds.size === 1 ? (PART_WORDS[[...kinds][0] ?? ""] ?? "kỳ") : "kỳ";
    return { value: values.reduce((a, b) => a + b, 0), said: `tổng ${set.length} ${noun}` };
  }
  return null;
}

/** “E7” out of `'Năm 2025'!E7`. */
const bareCell = (cell: string) => cell.slice(cell.lastIndexOf("!") + 1);

/** `previous` maps `unit|indicator|period` to values already stored (the previous period's, for the jump check). */
export function validateReading(
  reading: SheetReading,
  catalog: Indicator[],
  previous: Map<string, number>,
): SheetReading {
  const byCode = new Map(catalog.map((i) => [i.code, i]));
  const label = (code: string) => inSentence(byCode.get(code)?.label ?? code);
  const stored = new Map<string, CellValue>(
    reading.values.map((v) => [slotKey(v.unitCode, v.indicatorCode, v.period), v]),
  );
  const get = (v: CellValue, code: string) => stored.get(slotKey(v.unitCode, code, v.period));
  const issues: CellIssue[] = [...reading.issues];
  const rejected = new Set<CellValue>();
  const issue = (v: CellValue, severity: CellIssue["severity"], code: string, message: string) =>
    issues.push({
      unitCode: v.unitCode,
      period: v.period,
      indicatorCode: v.indicatorCode,
      cell: v.cell,
      raw: v.raw,
      severity,
      code,
      message,
    });

  const wholes = catalog.filter((i) => i.kind === "ratio" && i.numerator && i.denominator);
  for (const v of reading.values) {
    for (const ratio of wholes) {
      if (ratio.numerator !== v.indicatorCode || !ratio.denominator) continue;
      const whole = get(v, ratio.denominator);
      if (whole && v.value > whole.value) {
        rejected.add(v);
        issue(
          v,
          "error",
          "part_exceeds_whole",
          `Ô ${bareCell(v.cell)}: ${label(v.indicatorCode)} (${formatExact(v.value)}) lớn hơn ${label(whole.indicatorCode)} (${formatExact(whole.value)}, ô ${bareCell(whole.cell)}) — kiểm tra lại hai ô này`,
        );
      }
    }
    if (v.indicatorCode === MEMBERS) {
      const teams = get(v, TEAMS);
      if (teams && v.value < teams.value) {
        rejected.add(v);
        issue(
          v,
          "error",
          "members_below_teams",
          `Ô ${bareCell(v.cell)}: số thành viên (${formatExact(v.value)}) ít hơn số tổ bảo vệ an ninh trật tự (${formatExact(teams.value)}, ô ${bareCell(teams.cell)}) — mỗi tổ có ít nhất một thành viên, kiểm tra lại`,
        );
      } else if (teams && teams.value > 0 && v.value < MIN_MEMBERS_PER_TEAM * teams.value) {
        issue(
          v,
          "warning",
          "few_members",
          `Ô ${bareCell(v.cell)}: bình quân chưa đến ${MIN_MEMBERS_PER_TEAM} thành viên mỗi tổ (${formatExact(v.value)} người / ${formatExact(teams.value)} tổ) — kiểm tra lại số thành viên`,
        );
      }
    }
    if (v.indicatorCode === TEAMS) {
      const areas = get(v, AREAS);
      if (areas && v.value > areas.value) {
        issue(
          v,
          "warning",
          "teams_exceed_areas",
          `Ô ${bareCell(v.cell)}: số tổ bảo vệ an ninh trật tự (${formatExact(v.value)}) nhiều hơn số khu dân cư (${formatExact(areas.value)}, ô ${bareCell(areas.cell)}) — kiểm tra lại`,
        );
      }
    }
  }

  for (const v of reading.values) {
    if (rejected.has(v)) continue;
    if (v.approximate) {
      issue(
        v,
        "warning",
        "approximate",
        `Ô ${bareCell(v.cell)}: ‘${v.raw}’ là số ước chừng — đã ghi nhận ${formatExact(v.value)} (gần đúng); nếu có số chính xác hãy nhập chỉ con số`,
      );
    }
    // A typed year (half, nine months…) beside its parts in the same sheet: kept, with a warning when they disagree.
    const parts = fromParts(v, byCode.get(v.indicatorCode)?.overTime ?? null, stored);
    if (parts && Math.abs(parts.value - v.value) > 1e-9) {
      issue(
        v,
        "warning",
        "parts_disagree",
        `Ô ${bareCell(v.cell)}: ${WHOLE_WORDS[periodKind(v.period) ?? ""] ?? "Số cả kỳ"} (${formatExact(v.value)}) khác ${parts.said} (${formatExact(parts.value)}) — giữ số đã nhập; kiểm tra lại cho khớp`,
      );
    }
    const prevPeriod = previousYearPeriod(v.period);
    if (!prevPeriod) continue;
    const prevKey = slotKey(v.unitCode, v.indicatorCode, prevPeriod);
    const prev = stored.get(prevKey)?.value ?? previous.get(prevKey);
    if (prev === undefined || prev < JUMP_FLOOR || v.value < JUMP_FLOOR) continue;
    if (v.value > JUMP_FACTOR * prev || v.value * JUMP_FACTOR < prev) {
      const more = v.value > prev;
      issue(
        v,
        "warning",
        "jump",
        `Ô ${bareCell(v.cell)}: ${formatExact(v.value)} ${more ? "gấp hơn 3 lần" : "chưa bằng một phần ba"} kỳ trước (${prevPeriod}: ${formatExact(prev)}) — kiểm tra lại số liệu`,
      );
    }
  }

  // A required indicator missing, for every unit × period the sheet reports at all.
  const answered = new Set<string>();
  const reported = new Map<string, { unitCode: string; period: string }>();
  for (const v of reading.values) answered.add(slotKey(v.unitCode, v.indicatorCode, v.period));
  for (const i of issues)
    if (i.unitCode && i.indicatorCode && i.period) answered.add(slotKey(i.unitCode, i.indicatorCode, i.period));
  for (const x of [...reading.values, ...issues]) {
    if (x.unitCode && x.period && "indicatorCode" in x && x.indicatorCode)
      reported.set(`${x.unitCode}|${x.period}`, { unitCode: x.unitCode, period: x.period });
  }
  const required = catalog.filter((i) => i.required && i.kind !== "ratio");
  for (const { unitCode, period } of reported.values()) {
    for (const ind of required) {
      const key = slotKey(unitCode, ind.code, period);
      if (answered.has(key)) continue;
      const cell = reading.slots?.get(key) ?? null;
      issues.push({
        unitCode,
        period,
        indicatorCode: ind.code,
        cell,
        raw: null,
        severity: "warning",
        code: "required_missing",
        message: cell
          ? `Ô ${bareCell(cell)}: chưa nhập “${ind.label}” — chỉ tiêu bắt buộc, hãy nhập số (nhập 0 nếu không có)`
          : `Thiếu chỉ tiêu bắt buộc “${ind.label}” — thêm dòng/cột này vào biểu và nhập số (nhập 0 nếu không có)`,
      });
    }
  }
  return { values: reading.values.filter((v) => !rejected.has(v)), issues, slots: reading.slots };
}
