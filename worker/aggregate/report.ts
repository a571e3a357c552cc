/**
 * The conference report as data (PRODUCT.md §10): the sentences a speaker reads out, built from the summary, and the
 * tables printed under them. Numbers are vi-VN; an approximate figure is said as “khoảng”; a missing one is never
 * said as 0 — its clause is left out and the indicator is named among those without figures.
 *
 * Every figure is said as the dashboard says it (`formatFigure`, `formatFlag`, `formatChange` of domain/numbers): a
 * rate to one decimal with the parts it was computed from, a rate's change in points, a flag as “121/144 xã đạt”; a
 * change is like for like, over the communes that have the figure in both periods.
 */

import { type ApprovalState, STATE_WORDS } from "../../domain/approvals";
import { GROUP_TITLES } from "../../domain/indicators";
import { formatChange, formatFigure, formatFlag, formatIndicator, formatNumber } from "../../domain/numbers";
import { periodLabel } from "../../domain/periods";
import { formatDate, formatDateTime } from "../../domain/time";
import { isCommuneKind } from "../../domain/units";
import type { Db } from "../db/client";
import { type CommuneRow, communeRows, unacceptedCommunes } from "../db/values";
import { type ModelsHeadline, modelsHeadline, modelsSentence } from "../models/report";
import type { Basis } from "../rollups/read";
import { resolveScope } from "./resolve";
import { buildSummary, type Comparable, type Summary, type SummaryIndicator } from "./summary";

/** A right-aligned column holds figures. */
type ReportColumn = { title: string; numeric: boolean };
/** Rows under a heading (the catalog's group), printed together; `title` null for a table without groups. */
type ReportSection = { title: string | null; rows: string[][] };
/** Cells are text, said as the speech says them; the first column names the row unless it is numeric. */
type ReportTable = { title: string; columns: ReportColumn[]; sections: ReportSection[]; notes: string[] };
export type Report = {
  title: string;
  unit: Summary["unit"];
  period: string;
  compare: string | null;
  asOf: string | null;
  frozen: boolean;
  /** `accepted`: the figures count only the communes the province accepted (PRODUCT.md §12). */
  basis: Basis;
  paragraphs: string[];
  tables: ReportTable[];
};

/** A commune that reported but whose figures the province has not accepted, with its state. */
type Unaccepted = CommuneRow & { state: Exclude<ApprovalState, "accepted"> };

const count = (n: number) => formatNumber(n, "count");

const WHOLE: Record<string, string> = {
  country: "Toàn quốc",
  province: "Toàn tỉnh",
  city: "Toàn thành phố",
  district: "Toàn huyện",
  commune: "Toàn xã",
  ward: "Toàn phường",
  special_zone: "Toàn đặc khu",
};

type Get = (code: string) => SummaryIndicator | undefined;

/** A figure as spoken: “5.012”, “khoảng 5.400”, “94,2%”; null when there is no figure. */
function say(f: SummaryIndicator | undefined): string | null {
  return !f || f.value === null ? null : formatFigure(f.value, f.kind, f.approximate);
}

/** A flag's label without the sheet's instruction: “Xã/phường đạt tiêu chuẩn …” rather than “… (1 = đạt; 0 = chưa đạt)”. */
const flagName = (i: SummaryIndicator) => i.label.replace(/\s*\([^()]*=[^()]*\)$/, "");

/**
 * A rate's parts as it was computed — Σ numerator / Σ denominator over the communes that reported both — so that the
 * fraction gives the rate: “5.394/5.760 khu dân cư của 144 xã có đủ số liệu”; null for a figure without parts.
 */
function partsOf(f: SummaryIndicator, noun: string | null, isCommune: boolean): string | null {
  if (!f.parts) return null;
  const of = isCommune ? "" : ` của ${count(f.reporting)} xã có đủ số liệu`;
  return `${count(f.parts.numerator)}/${count(f.parts.denominator)}${noun ? ` ${noun}` : ""}${of}`;
}

/** A change is said “cùng N xã” when the communes compared are not all those that have the figure in either period. */
const partial = (i: SummaryIndicator, c: Comparable) =>
  c.communes !== i.reporting || c.communes !== i.previousReporting;

/** Clauses joined as Vietnamese lists are: “a, b và c”. */
function joinAnd(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} và ${parts.at(-1)}`;
}

function clause(get: Get, code: string, text: (n: string) => string): string | null {
  const n = say(get(code));
  return n === null ? null : text(n);
}

const cap = (t: string) => t.charAt(0).toUpperCase() + t.slice(1);
const lower = (t: string) => t.charAt(0).toLowerCase() + t.slice(1);
const present = (xs: (string | null)[]) => xs.filter((x): x is string => x !== null);

/** The sentences of the speech, one per theme; a theme with no figure at all is left out. */
function sentences(s: Summary, get: Get, kinds: ModelsHeadline | null): string[] {
  const whole = WHOLE[s.unit.kind] ?? `Toàn ${s.unit.name}`;
  const out: string[] = [];
  const isCommune = isCommuneKind(s.unit.kind);

  const teams = say(get("security_team_count"));
  const members = say(get("security_team_members"));
  const forces = present([
    teams && members
      ? `${teams} tổ bảo vệ an ninh trật tự ở cơ sở với ${members} thành viên`
      : teams
        ? `${teams} tổ bảo vệ an ninh trật tự ở cơ sở`
        : members && `${members} thành viên tổ bảo vệ an ninh trật tự ở cơ sở`,
    clause(get, "mediation_team_count", (n) => `${n} tổ hòa giải ở cơ sở`),
    clause(get, "self_managed_group_count", (n) => `${n} tổ tự quản về an ninh trật tự`),
    clause(get, "self_managed_board_count", (n) => `${n} ban tự quản`),
    clause(get, "club_count", (n) => `${n} câu lạc bộ tham gia bảo vệ an ninh trật tự`),
  ]);
  if (forces.length) out.push(`${whole} hiện duy trì ${forces.join("; ")}.`);
  // Kinds of model, from the communes' lists (PRODUCT.md §15).
  if (kinds) out.push(modelsSentence(whole, kinds, isCommune));

  const models = present([
    clause(get, "self_managed_model_count", (n) => `${n} mô hình tự quản về an ninh trật tự`),
    clause(get, "dan_van_kheo_model_count", (n) => `${n} mô hình “Dân vận khéo”`),
    clause(get, "advanced_example_count", (n) => `${n} điển hình tiên tiến`),
  ]);
  if (models.length) out.push(`Xây dựng, duy trì ${joinAnd(models)}.`);

  /** “93,6% khu dân cư (5.394/5.760 khu dân cư của 144 xã có đủ số liệu)”: the rate with the parts it was computed from. */
  const rate = (code: string, noun: string) => {
    const f = get(code);
    const n = say(f);
    const parts = f && partsOf(f, noun, isCommune);
    return n === null ? null : parts ? `${n} ${noun} (${parts})` : `${n} ${noun}`;
  };
  const safe = present([
    rate("residential_area_safe_rate", "khu dân cư"),
    rate("agency_enterprise_safe_rate", "cơ quan, doanh nghiệp"),
    rate("school_safe_rate", "cơ sở giáo dục"),
  ]);
  const flag = get("commune_safe");
  const flagSentence =
    flag && flag.value !== null
      ? `${isCommune ? `${s.unit.name} ` : ""}${lower(formatFlag(flag.value, flag.reporting, isCommune))} tiêu chuẩn “An toàn về an ninh trật tự”`
      : null;
  if (safe.length)
    out.push(
      `Có ${joinAnd(safe)} được công nhận đạt tiêu chuẩn “An toàn về an ninh trật tự”${flagSentence ? `; ${flagSentence}` : ""}.`,
    );
  else if (flagSentence) out.push(`${flagSentence}.`);

  const tips = present([
    clause(
      get,
      "crime_tip_received",
      (n) => `Nhân dân đã cung cấp ${n} tin báo, tố giác về tội phạm và an ninh trật tự`,
    ),
    clause(get, "tip_mailbox_count", (n) => `duy trì ${n} hòm thư tố giác tội phạm`),
  ]);
  if (tips.length) out.push(cap(`${tips.join("; ")}.`));

  const weapons = present([
    clause(get, "guns_recovered", (n) => `${n} khẩu súng các loại`),
    clause(get, "ammo_rounds", (n) => `${n} viên đạn`),
    clause(get, "explosives_kg", (n) => `${n} kg vật liệu nổ`),
    clause(get, "edged_weapons_count", (n) => `${n} vũ khí thô sơ`),
    clause(get, "support_tools_count", (n) => `${n} công cụ hỗ trợ`),
    clause(get, "fireworks_kg", (n) => `${n} kg pháo`),
  ]);
  if (weapons.length) out.push(`Vận động Nhân dân giao nộp ${joinAnd(weapons)}.`);

  const care = present([
    clause(get, "persons_reformed", (n) => `cảm hóa, giáo dục ${n} đối tượng tại cộng đồng`),
    clause(get, "ex_prisoners_supported", (n) => `giúp đỡ ${n} người chấp hành xong án phạt tù tái hòa nhập cộng đồng`),
    clause(
      get,
      "ex_prisoner_loans_million_vnd",
      (n) => `hỗ trợ vay ${n} triệu đồng cho người chấp hành xong án phạt tù`,
    ),
  ]);
  if (care.length) out.push(cap(`${care.join("; ")}.`));

  const festival = present([
    clause(get, "festival_areas_held", (n) => `${n} khu dân cư tổ chức “Ngày hội toàn dân bảo vệ an ninh Tổ quốc”`),
    clause(get, "festival_participants", (n) => `${n} lượt người tham gia`),
  ]);
  if (festival.length === 2) out.push(`${festival[0]} với ${festival[1]}.`);
  else if (festival.length) out.push(`Ngày hội toàn dân bảo vệ an ninh Tổ quốc: ${festival[0]}.`);

  const awards = present([
    clause(get, "commended_collectives", (n) => `${n} tập thể`),
    clause(get, "commended_individuals", (n) => `${n} cá nhân`),
  ]);
  if (awards.length) out.push(`${joinAnd(awards)} được khen thưởng trong phong trào.`);
  return out;
}

const COVERED_BY_SENTENCES = new Set([
  "security_team_count",
  "security_team_members",
  "mediation_team_count",
  "self_managed_group_count",
  "self_managed_board_count",
  "club_count",
  "self_managed_model_count",
  "dan_van_kheo_model_count",
  "advanced_example_count",
  "residential_area_safe_rate",
  "agency_enterprise_safe_rate",
  "school_safe_rate",
  "residential_area_safe",
  "residential_area_total",
  "agency_enterprise_safe",
  "agency_enterprise_total",
  "school_safe",
  "school_total",
  "commune_safe",
  "crime_tip_received",
  "tip_mailbox_count",
  "guns_recovered",
  "ammo_rounds",
  "explosives_kg",
  "edged_weapons_count",
  "support_tools_count",
  "fireworks_kg",
  "persons_reformed",
  "ex_prisoners_supported",
  "ex_prisoner_loans_million_vnd",
  "festival_areas_held",
  "festival_participants",
  "commended_collectives",
  "commended_individuals",
]);

/** A flag in both periods, each over the communes that answered it then, as the dashboard compares it. */
function flagThen(i: SummaryIndicator, compareLabel: string, isCommune: boolean): string {
  return `${lower(formatIndicator(i, isCommune))} (${lower(compareLabel)}: ${lower(formatFlag(i.previous, i.previousReporting, isCommune))})`;
}

/**
 * One figure's change as a speaker says it: “số tổ … tăng 9,2% (từ 4.893 lên 5.345, cùng 144 xã)”, like for like; a
 * rate's in points (“tăng 0,9 điểm %”); a flag as the communes meeting it in each period. Null when it cannot be said.
 */
function spokenChange(i: SummaryIndicator, compareLabel: string, isCommune: boolean): string | null {
  if (i.value === null) return null;
  if (i.kind === "flag")
    return i.previous === null ? null : `${lower(flagName(i))}: ${flagThen(i, compareLabel, isCommune)}`;
  const c = i.comparable;
  if (!c) return null;
  const label = lower(i.label);
  const same = !isCommune && partial(i, c) ? `, cùng ${count(c.communes)} xã` : "";
  const [from, to] = [formatFigure(c.previous, i.kind), formatFigure(c.value, i.kind, i.approximate)];
  if (c.value === c.previous) return `${label} không đổi (${to}${same})`;
  const [verb, toward] = c.value > c.previous ? ["tăng", "lên"] : ["giảm", "xuống"];
  // “+9,2%”, “-3,1%”, “+0,9 điểm %” as the dashboard shows it, said with its verb; none from nothing (a count from 0).
  const change = formatChange(c.value, c.previous, i.kind)?.replace(/^[+-]/, "");
  return `${label} ${verb}${change ? ` ${change}` : ""} (từ ${from} ${toward} ${to}${same})`;
}

/** A table's change cell: the dashboard's “+9,2%” or “+0,9 điểm %”, like for like, with the communes compared. */
function changeCell(i: SummaryIndicator, isCommune: boolean): string {
  const c = i.comparable;
  // A flag's two periods stand in their own cells, each over its own communes: no difference is made of them.
  if (i.kind === "flag") return "—";
  if (!c) return i.value !== null && i.previous !== null ? "chưa so sánh được" : "—";
  // formatChange has no percentage for a count that was 0: it can only have grown.
  const change = formatChange(c.value, c.previous, i.kind) ?? `tăng từ ${formatFigure(c.previous, i.kind)}`;
  return !isCommune && partial(i, c) ? `${change} (cùng ${count(c.communes)} xã)` : change;
}

/** The main table: every figure of the catalog under its group's title, in the catalog's order. */
function figuresTable(s: Summary, isCommune: boolean): ReportTable {
  const label = periodLabel(s.period);
  const compareLabel = s.compare ? periodLabel(s.compare) : null;
  const groups = [...new Set(s.indicators.map((i) => i.group))];
  const row = (i: SummaryIndicator) => [
    i.kind === "flag" ? flagName(i) : i.label,
    i.unit,
    formatIndicator(i, isCommune),
    ...(compareLabel
      ? [
          formatIndicator({ ...i, value: i.previous, reporting: i.previousReporting, approximate: false }, isCommune),
          changeCell(i, isCommune),
        ]
      : []),
    ...(isCommune ? [] : [count(i.reporting)]),
  ];
  const rates = s.indicators.flatMap((i) => {
    const parts = partsOf(i, null, isCommune);
    return parts ? [`${lower(i.label)} ${say(i)} = ${parts}`] : [];
  });
  return {
    title: "Các chỉ tiêu",
    columns: [
      { title: "Chỉ tiêu", numeric: false },
      { title: "Đơn vị tính", numeric: false },
      { title: label, numeric: true },
      ...(compareLabel
        ? [
            { title: compareLabel, numeric: true },
            { title: "Tăng/giảm", numeric: true },
          ]
        : []),
      ...(isCommune ? [] : [{ title: "Số xã có số liệu", numeric: true }]),
    ],
    sections: groups.map((g) => ({
      title: GROUP_TITLES[g] ?? g,
      rows: s.indicators.filter((i) => i.group === g).map(row),
    })),
    notes: [
      ...(rates.length && !isCommune ? [`Cách tính tỷ lệ: ${rates.join("; ")}.`] : []),
      ...(compareLabel && !isCommune
        ? [
            `Tăng/giảm so với ${lower(compareLabel)} tính trên cùng những xã có số liệu cả hai kỳ (ghi “cùng N xã” khi không phải mọi xã có số liệu); tỷ lệ tăng/giảm tính bằng điểm phần trăm.`,
          ]
        : []),
    ],
  };
}

/** The communes' confirmations (PRODUCT.md §12): “5 xã đã chốt số liệu, 3 xã đã được tỉnh duyệt”. */
function approvalsSaid(s: Summary): string {
  const c = s.coverage;
  return `${count(c.submitted)} xã đã chốt số liệu, ${count(c.accepted)} xã đã được tỉnh duyệt`;
}

/** The communes one table lists, with the parent named only when it is not the unit itself. */
function communeTable(s: Summary, title: string, communes: CommuneRow[], more?: [string, (u: CommuneRow) => string]) {
  // The parent is named only when it is not the unit itself (the country's communes, a district's before 2025).
  const parent = communes.some((u) => u.parentName !== s.unit.name);
  return {
    title,
    columns: [
      { title: "Tên xã", numeric: false },
      { title: "Mã", numeric: false },
      ...(parent ? [{ title: "Trực thuộc", numeric: false }] : []),
      ...(more ? [{ title: more[0], numeric: false }] : []),
    ],
    sections: [
      {
        title: null,
        rows: communes.map((u) => [
          u.name,
          u.code,
          ...(parent ? [u.parentName ?? ""] : []),
          ...(more ? [more[1](u)] : []),
        ]),
      },
    ],
    notes: [],
  };
}

function reportFromSummary(
  s: Summary,
  silent: CommuneRow[] = [],
  unaccepted: Unaccepted[] = [],
  models: ModelsHeadline | null = null,
): Report {
  const get: Get = (code) => s.indicators.find((i) => i.code === code);
  const isCommune = isCommuneKind(s.unit.kind);
  const label = periodLabel(s.period);
  const compareLabel = s.compare ? periodLabel(s.compare) : null;
  const c = s.coverage;
  const paragraphs: string[] = [];
  const range = `từ ngày ${formatDate(s.dataRange.from)} đến ngày ${formatDate(s.dataRange.to)}`;
  const when = s.asOf
    ? s.frozen
      ? `số liệu chốt lúc ${formatDateTime(s.asOf)}`
      : `cập nhật lúc ${formatDateTime(s.asOf)}`
    : "chưa đồng bộ lần nào";
  if (isCommune) {
    const state = !c.reported
      ? "chưa có số liệu"
      : `${c.complete ? "đã báo cáo đủ" : "đã báo cáo, chưa đủ"} các chỉ tiêu bắt buộc${c.late ? ", sau hạn" : ""}`;
    const approval = c.reported
      ? `; ${c.accepted ? STATE_WORDS.accepted : c.submitted ? STATE_WORDS.submitted : `${STATE_WORDS.open} số liệu`}`
      : "";
    paragraphs.push(`Số liệu ${lower(label)} của ${s.unit.name} (${range}): ${state}${approval}; ${when}.`);
  } else {
    const lateText = c.late ? `; ${count(c.late)} xã báo cáo sau hạn` : "";
    paragraphs.push(
      `Số liệu ${lower(label)} (${range}) được tổng hợp từ ${count(c.reported)}/${count(c.expected)} xã, phường, đặc khu đã báo cáo (${count(c.complete)} xã báo cáo đủ các chỉ tiêu bắt buộc${lateText}), ${when}; ${approvalsSaid(s)}.`,
    );
  }
  // Figures built from shorter periods (PRODUCT.md §14) are said to be so.
  const built = Math.max(0, ...s.indicators.map((i) => i.builtCommunes));
  if (built)
    paragraphs.push(
      isCommune
        ? `Số liệu ${lower(label)} của ${s.unit.name} được tổng hợp từ các kỳ báo cáo ngắn hơn (quý, tháng) mà đơn vị đã báo cáo.`
        : `Số liệu của ${count(built)} xã được tổng hợp từ các kỳ báo cáo ngắn hơn (quý, tháng) mà xã đã báo cáo: chỉ tiêu hiện có lấy số của kỳ cuối, chỉ tiêu phát sinh cộng các kỳ.`,
    );
  if (s.basis === "accepted") {
    const left = unaccepted.length
      ? `; ${count(unaccepted.length)} xã đã báo cáo nhưng chưa được tỉnh duyệt không được tính (bảng “Xã chưa được tỉnh duyệt”)`
      : "";
    paragraphs.push(
      isCommune
        ? c.accepted
          ? "Số liệu trong báo cáo là số liệu đã được tỉnh duyệt."
          : "Báo cáo chỉ tính số liệu đã được tỉnh duyệt: số liệu của xã chưa được duyệt nên không được tính."
        : `Báo cáo chỉ tính số liệu đã được tỉnh duyệt: ${count(c.accepted)} xã${left}.`,
    );
  }
  paragraphs.push(...sentences(s, get, models));

  const others = s.indicators.filter((i) => !COVERED_BY_SENTENCES.has(i.code) && i.value !== null);
  const other = (i: SummaryIndicator) => {
    if (i.kind === "flag") return `${lower(flagName(i))}: ${lower(formatIndicator(i, isCommune))}`;
    const parts = partsOf(i, null, isCommune);
    return `${lower(i.label)}: ${say(i)}${i.kind === "ratio" ? (parts ? ` (${parts})` : "") : ` ${i.unit}`}`;
  };
  // An indicator the speech has no sentence for (one a province added) is said plainly under its group's title.
  for (const g of new Set(others.map((i) => i.group))) {
    const said = others.filter((i) => i.group === g).map(other);
    paragraphs.push(`${GROUP_TITLES[g] ?? cap(g)}: ${said.join("; ")}.`);
  }

  if (compareLabel) {
    // The figures a conference leads with, in their order, then the communes meeting a standard; each like for like.
    const led = [
      ...s.indicators
        .filter((i): i is SummaryIndicator & { headline: number } => i.headline !== null)
        .sort((a, b) => a.headline - b.headline),
      ...s.indicators.filter((i) => i.headline === null && i.kind === "flag"),
    ];
    const spoken = present(led.map((i) => spokenChange(i, compareLabel, isCommune)));
    if (spoken.length) paragraphs.push(`So với ${lower(compareLabel)}: ${spoken.join("; ")}.`);
  }

  const missing = s.indicators.filter((i) => i.value === null);
  if (missing.length) paragraphs.push(`Chưa có số liệu: ${missing.map((i) => lower(i.label)).join("; ")}.`);

  const numeric = (title: string) => ({ title, numeric: true });
  const tables: ReportTable[] = [
    figuresTable(s, isCommune),
    {
      title: "Tình hình báo cáo",
      columns: [
        "Số xã phải báo cáo",
        "Đã báo cáo",
        "Đủ chỉ tiêu bắt buộc",
        "Báo cáo sau hạn",
        "Chưa xác định được đúng hạn",
        "Chưa báo cáo",
        "Đã chốt số liệu",
        "Được tỉnh duyệt",
      ].map(numeric),
      sections: [
        {
          title: null,
          rows: [
            [
              c.expected,
              c.reported,
              c.complete,
              c.late,
              c.timelinessUnknown,
              c.expected - c.reported,
              c.submitted,
              c.accepted,
            ].map(count),
          ],
        },
      ],
      notes: [],
    },
  ];
  if (silent.length) tables.push(communeTable(s, "Xã chưa báo cáo", silent));
  if (s.basis === "accepted" && unaccepted.length && !isCommune) {
    const states = new Map(unaccepted.map((u) => [u.code, cap(STATE_WORDS[u.state])]));
    tables.push(
      communeTable(s, "Xã chưa được tỉnh duyệt", unaccepted, ["Trạng thái", (u) => states.get(u.code) ?? ""]),
    );
  }
  const accepted = s.basis === "accepted" ? " (số liệu đã được tỉnh duyệt)" : "";
  const title = `Báo cáo kết quả phong trào “Toàn dân bảo vệ an ninh Tổ quốc” ${lower(label)} — ${s.unit.name}${accepted}`;
  return {
    title,
    unit: s.unit,
    period: s.period,
    compare: s.compare,
    asOf: s.asOf,
    frozen: s.frozen,
    basis: s.basis,
    paragraphs,
    tables,
  };
}

export async function buildReport(
  db: Db,
  unitCode: string,
  period: string,
  compare: string | null,
  conferenceId: number | null,
  basis: Basis = "latest",
): Promise<Report> {
  const summary = await buildSummary(db, unitCode, period, compare, conferenceId, basis);
  const { scope } = await resolveScope(db, unitCode, period, conferenceId);
  const [silent, unaccepted, models] = await Promise.all([
    communeRows(db, scope, period),
    basis === "accepted" ? unacceptedCommunes(db, scope, period) : [],
    // The models roll-ups are live: a frozen conference's report does not mix them in.
    summary.frozen ? null : modelsHeadline(db, scope, period),
  ]);
  return reportFromSummary(summary, silent, unaccepted, models);
}
