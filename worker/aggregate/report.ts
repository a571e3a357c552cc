/**
 * The conference report as data (PRODUCT.md §10): the sentences a speaker reads out, built from the summary, and the
 * tables printed under them. Numbers are vi-VN; an approximate figure is said as “khoảng”; a missing one is never
 * said as 0 — its clause is left out and the indicator is named among those without figures.
 */

import { formatNumber } from "../../domain/numbers";
import { periodLabel } from "../../domain/periods";
import { formatDateTime } from "../../domain/time";
import { isCommuneKind } from "../../domain/units";
import type { Db } from "../db/client";
import { type CommuneRow, communeRows } from "../db/values";
import { resolveScope } from "./resolve";
import { buildSummary, type Summary, type SummaryIndicator } from "./summary";

type ReportTable = { title: string; columns: string[]; rows: (string | number | null)[][] };
export type Report = {
  title: string;
  unit: Summary["unit"];
  period: string;
  compare: string | null;
  asOf: string | null;
  frozen: boolean;
  paragraphs: string[];
  tables: ReportTable[];
};

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
  if (!f || f.value === null) return null;
  const n = formatNumber(f.value, f.kind);
  return f.approximate ? `khoảng ${n}` : n;
}

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
function sentences(s: Summary, get: Get): string[] {
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

  const models = present([
    clause(get, "self_managed_model_count", (n) => `${n} mô hình tự quản về an ninh trật tự`),
    clause(get, "dan_van_kheo_model_count", (n) => `${n} mô hình “Dân vận khéo”`),
    clause(get, "advanced_example_count", (n) => `${n} điển hình tiên tiến`),
  ]);
  if (models.length) out.push(`Xây dựng, duy trì ${joinAnd(models)}.`);

  /** “95,1% khu dân cư (39/41)”: the rate, with its parts when both were reported. */
  const rate = (code: string, part: string, whole: string, noun: string) =>
    clause(get, code, (n) => {
      const [p, w] = [say(get(part)), say(get(whole))];
      return p && w ? `${n} ${noun} (${p}/${w})` : `${n} ${noun}`;
    });
  const safe = present([
    rate("residential_area_safe_rate", "residential_area_safe", "residential_area_total", "khu dân cư"),
    rate("agency_enterprise_safe_rate", "agency_enterprise_safe", "agency_enterprise_total", "cơ quan, doanh nghiệp"),
    rate("school_safe_rate", "school_safe", "school_total", "cơ sở giáo dục"),
  ]);
  const flag = get("commune_safe");
  const flagSentence =
    flag && flag.value !== null
      ? isCommune
        ? flag.value >= 1
          ? `${s.unit.name} đạt tiêu chuẩn “An toàn về an ninh trật tự”`
          : `${s.unit.name} chưa đạt tiêu chuẩn “An toàn về an ninh trật tự”`
        : `${count(flag.value)}/${count(flag.reporting)} xã, phường, đặc khu báo cáo đạt tiêu chuẩn “An toàn về an ninh trật tự”`
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

/** The like-for-like change, as a percentage rounded to one decimal; null without communes in both periods. */
function changePercent(i: SummaryIndicator): number | null {
  const c = i.comparable;
  if (!c || i.kind === "ratio" || c.previous === 0) return null;
  return Math.round((1000 * (c.value - c.previous)) / c.previous) / 10;
}

const rounded = (n: number | null | undefined) => (n === null || n === undefined ? null : Math.round(n * 100) / 100);

function reportFromSummary(s: Summary, silent: CommuneRow[] = []): Report {
  const get: Get = (code) => s.indicators.find((i) => i.code === code);
  const label = periodLabel(s.period);
  const compareLabel = s.compare ? periodLabel(s.compare) : null;
  const c = s.coverage;
  const paragraphs: string[] = [];
  const when = s.asOf
    ? s.frozen
      ? `số liệu chốt lúc ${formatDateTime(s.asOf)}`
      : `cập nhật lúc ${formatDateTime(s.asOf)}`
    : "chưa đồng bộ lần nào";
  const lateText = c.late ? `; ${count(c.late)} đơn vị báo cáo sau hạn` : "";
  paragraphs.push(
    `Số liệu ${lower(label)} được tổng hợp từ ${count(c.reported)}/${count(c.expected)} xã, phường, đặc khu đã báo cáo (${count(c.complete)} đơn vị báo cáo đủ các chỉ tiêu bắt buộc${lateText}), ${when}.`,
  );
  paragraphs.push(...sentences(s, get));

  const others = s.indicators.filter(
    (i) => !COVERED_BY_SENTENCES.has(i.code) && i.value !== null && i.kind !== "ratio",
  );
  if (others.length)
    paragraphs.push(`Các chỉ tiêu khác: ${others.map((i) => `${lower(i.label)}: ${say(i)} ${i.unit}`).join("; ")}.`);

  if (compareLabel) {
    // Spoken only like for like: over the communes that reported the figure in both periods, and said so.
    const changes = s.indicators
      .filter((i) => i.kind !== "ratio" && i.kind !== "flag")
      .flatMap((i) => {
        const change = changePercent(i);
        return i.comparable && change !== null && change !== 0 ? [{ i, c: i.comparable, change }] : [];
      })
      .slice(0, 6);
    const sets = new Set(changes.map((x) => x.c.communes));
    const one = sets.size === 1 ? ([...sets][0] ?? null) : null;
    const spoken = changes.map(({ i, c, change }) => {
      const [verb, to] = change > 0 ? ["tăng", "lên"] : ["giảm", "xuống"];
      const same = one === null ? `, cùng ${count(c.communes)} đơn vị` : "";
      const from = say({ ...i, value: c.previous });
      return `${lower(i.label)} ${verb} ${formatNumber(Math.abs(change), "ratio")} (từ ${from} ${to} ${say({ ...i, value: c.value })}${same})`;
    });
    // A commune is compared with itself: only a unit above it names the communes compared.
    const over =
      one === null || isCommuneKind(s.unit.kind) ? "" : `, cùng ${count(one)} xã, phường, đặc khu có số liệu cả hai kỳ`;
    if (spoken.length) paragraphs.push(`So với ${lower(compareLabel)}${over}: ${spoken.join("; ")}.`);
  }

  const missing = s.indicators.filter((i) => i.value === null);
  if (missing.length) paragraphs.push(`Chưa có số liệu: ${missing.map((i) => lower(i.label)).join("; ")}.`);

  const tables: ReportTable[] = [
    {
      title: "Các chỉ tiêu chủ yếu",
      columns: [
        "Chỉ tiêu",
        "Đơn vị tính",
        label,
        "Số đơn vị báo cáo",
        // A change compares the same communes: both periods are shown over those communes, with how many they are.
        ...(compareLabel
          ? [`${label} (cùng đơn vị)`, `${compareLabel} (cùng đơn vị)`, "Tăng/giảm (%)", "Số đơn vị so sánh"]
          : []),
        "Ước tính",
      ],
      rows: s.indicators.map((i) => [
        i.label,
        i.unit,
        rounded(i.value),
        i.reporting,
        ...(compareLabel
          ? [
              rounded(i.comparable?.value),
              rounded(i.comparable?.previous),
              changePercent(i),
              i.comparable?.communes ?? 0,
            ]
          : []),
        i.approximate ? "có" : "",
      ]),
    },
    {
      title: "Tình hình báo cáo",
      columns: [
        "Số đơn vị phải báo cáo",
        "Đã báo cáo",
        "Đủ chỉ tiêu bắt buộc",
        "Báo cáo sau hạn",
        "Chưa xác định được đúng hạn",
        "Chưa báo cáo",
      ],
      rows: [[c.expected, c.reported, c.complete, c.late, c.timelinessUnknown, c.expected - c.reported]],
    },
  ];
  if (silent.length) {
    tables.push({
      title: "Đơn vị chưa báo cáo",
      columns: ["Mã đơn vị", "Tên đơn vị", "Trực thuộc"],
      rows: silent.map((u) => [u.code, u.name, u.parentName]),
    });
  }
  const title = `Báo cáo kết quả phong trào “Toàn dân bảo vệ an ninh Tổ quốc” ${lower(label)} — ${s.unit.name}`;
  return {
    title,
    unit: s.unit,
    period: s.period,
    compare: s.compare,
    asOf: s.asOf,
    frozen: s.frozen,
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
): Promise<Report> {
  const summary = await buildSummary(db, unitCode, period, compare, conferenceId);
  const { scope } = await resolveScope(db, unitCode, period, conferenceId);
  return reportFromSummary(summary, await communeRows(db, scope, period));
}
