// @ts-check
/**
 * Deterministic demo data (PRODUCT.md §8 folder): a synthetic province of 148 communes, labelled as demo, one
 * `form` sheet each with 2024 and 2025 columns (a few with 2024's quarters instead of the year), and a few communes
 * with the mistakes clerks really make.
 *
 *   node demo/generate.mjs [outDir]     (default .local/demo)
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Delaunay } from "d3-delaunay";
import { parseCsv } from "../tools/csv.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const DEMO_PROVINCE = { code: "99", name: "Minh Sơn (dữ liệu mẫu)", fullName: "Tỉnh Minh Sơn (dữ liệu mẫu)" };
export const DEMO_COMMUNE_COUNT = 148;

const FIRST = [
  "An",
  "Bình",
  "Hòa",
  "Phú",
  "Tân",
  "Đông",
  "Tây",
  "Nam",
  "Bắc",
  "Thanh",
  "Minh",
  "Hưng",
  "Phúc",
  "Lộc",
  "Vĩnh",
  "Quang",
  "Trung",
  "Xuân",
  "Yên",
  "Kim",
  "Ngọc",
  "Mỹ",
  "Đức",
  "Cẩm",
  "Hồng",
  "Thượng",
  "Hạ",
  "Long",
  "Sơn",
  "Hải",
];
const SECOND = [
  "Sơn",
  "Hà",
  "Lâm",
  "Thịnh",
  "Tiến",
  "Thuận",
  "Lạc",
  "Khê",
  "Hợp",
  "Phong",
  "Lương",
  "Giang",
  "Điền",
  "Xá",
  "Đồng",
  "Tường",
  "Cương",
  "Nghĩa",
  "Hiệp",
  "Thái",
  "Châu",
  "Trạch",
  "Bảo",
  "Lợi",
];

/** Mulberry32: the same seed gives the same figures every time. @param {number} seed */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** @param {string} s */
const csvCell = (s) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * Plausible 2025 figures for one commune, and 2024 a little lower.
 * @param {() => number} r
 */
function communeFigures(r) {
  const int = (/** @type {number} */ lo, /** @type {number} */ hi) => lo + Math.floor(r() * (hi - lo + 1));
  const areas = int(22, 58);
  const teams = int(Math.round(areas * 0.85), areas);
  const agencies = int(4, 30);
  const schools = int(3, 14);
  /** @type {Record<string, number>} */
  const f = {
    security_team_count: teams,
    security_team_members: teams * 3 + int(0, teams),
    mediation_team_count: int(Math.round(areas * 0.6), areas),
    self_managed_group_count: int(10, 60),
    self_managed_board_count: int(1, 6),
    club_count: int(0, 5),
    self_managed_model_count: int(150, 300),
    dan_van_kheo_model_count: int(0, 3),
    advanced_example_count: r() < 0.4 ? 1 : 0,
    residential_area_total: areas,
    residential_area_safe: areas - int(0, Math.round(areas * 0.12)),
    agency_enterprise_total: agencies,
    agency_enterprise_safe: agencies,
    school_total: schools,
    school_safe: r() < 0.85 ? schools : schools - 1,
    commune_safe: r() < 0.82 ? 1 : 0,
    crime_tip_received: int(40, 420),
    tip_mailbox_count: int(1, 4),
    guns_recovered: int(0, 3),
    ammo_rounds: int(0, 60),
    explosives_kg: Math.round(r() * 30) / 10,
    edged_weapons_count: int(0, 20),
    support_tools_count: int(0, 6),
    fireworks_kg: Math.round(r() * 400) / 10,
    persons_reformed: int(0, 12),
    ex_prisoners_supported: int(0, 10),
    ex_prisoner_loans_million_vnd: int(0, 12) * 50,
    festival_areas_held: areas - int(0, 2),
    festival_participants: int(800, 4200),
    commended_collectives: int(1, 14),
    commended_individuals: int(2, 12),
  };
  /** @type {Record<string, number>} */
  const before = {};
  for (const [code, v] of Object.entries(f))
    before[code] = code === "commune_safe" ? v : Math.max(0, Math.round(v * (0.85 + r() * 0.13) * 10) / 10);
  for (const code of Object.keys(before)) if (!code.endsWith("_kg")) before[code] = Math.round(before[code] ?? 0);
  // Last year's figures were scaled one by one: keep them as consistent as a careful clerk's (parts within wholes,
  // no more teams than residential areas, at least three members a team), so the only mistakes are the planted ones.
  const atMost = (/** @type {string} */ part, /** @type {number} */ limit) =>
    (before[part] = Math.min(before[part] ?? 0, limit));
  const areas24 = before.residential_area_total ?? 0;
  atMost("residential_area_safe", areas24);
  atMost("festival_areas_held", areas24);
  atMost("security_team_count", areas24);
  atMost("agency_enterprise_safe", before.agency_enterprise_total ?? 0);
  atMost("school_safe", before.school_total ?? 0);
  before.security_team_members = Math.max(before.security_team_members ?? 0, 3 * (before.security_team_count ?? 0));
  return { y2025: f, y2024: before };
}

/** @param {() => number} r */
function sheetId(r) {
  const abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  let s = "1";
  for (let i = 0; i < 43; i++) s += abc[Math.floor(r() * abc.length)];
  return s;
}

/**
 * The mistakes a few communes make, keyed by the commune's position: each turns one 2025 cell into what a clerk
 * typed. Everything else is written as numbers or as clean Vietnamese text.
 */
const MISTAKES = /** @type {Record<number, Record<string, string>>} */ ({
  3: { security_team_count: "3,5" },
  11: { crime_tip_received: "hơn 200" },
  17: { fireworks_kg: "khoảng 12,5" },
  29: { self_managed_model_count: "chưa thống kê" },
  41: { residential_area_safe: "60" },
  58: { ammo_rounds: "-4" },
  77: { commune_safe: "2" },
});
const FORBIDDEN = 96;
/** A sheet copied from another file whose formulas now point nowhere: every 2025 cell shows #REF!, so nothing is stored. */
const BROKEN_FORMULAS = 133;
const UNREGISTERED = [120, 121];
const LABELS_ONLY = [5, 64];
/**
 * Communes that reported 2024 by quarter (“Quý I/2024” … “Quý IV/2024”), not as a year: their 2024, first half and
 * nine months are built from the quarters (PRODUCT.md §14) — the year's figures the same, a stock's Q4, a flow's sum.
 */
const QUARTERLY_2024 = [8, 22, 36, 50, 70, 90];
const QUARTERS_2024 = ["Quý I/2024", "Quý II/2024", "Quý III/2024", "Quý IV/2024"];

/**
 * A year's figure as four quarters: a flow (`over_time` sum) split so they add up to it, anything else the same
 * figure at the end of each quarter.
 * @param {number} v @param {string} overTime
 */
function quarters(v, overTime) {
  if (overTime !== "sum") return [v, v, v, v];
  const q = Math.floor(v / 4);
  return [q, q, q, Math.round((v - 3 * q) * 10) / 10];
}

/** The default catalog of model kinds (PRODUCT.md §15), where the spec keeps it; none when it is not there. */
const MODEL_TYPES_CSV = join(ROOT, "..", "shared", "spec", "model-types.csv");

/**
 * A commune's models tab (PRODUCT.md §15): its typed count of models split over a few kinds, written as clerks
 * write them — the catalog's label or an alias, in capitals or with stray punctuation now and then. Planted: some
 * communes keep no list, one keeps an empty one, several write a kind the catalog lacks (the same words), one
 * misspells a kind, and every tenth list adds up to another number than the typed count. Its own random sequence,
 * so the communes' figures stay what they were.
 * @param {number} i @param {number} count @param {{ label: string, aliases: string[] }[]} types
 * @returns {unknown[][] | null}
 */
function modelsTab(i, count, types) {
  if (!types.length || i % 6 === 4) return null;
  const r = seededRandom(7000 + i);
  const head = [
    ["DANH SÁCH MÔ HÌNH TỰ QUẢN VỀ AN NINH TRẬT TỰ NĂM 2025"],
    [],
    ["STT", "Loại mô hình", "Số điểm", "Ghi chú"],
  ];
  if (i === 10) return head;
  // The kinds most communes run come first in the catalog and are picked three times as often.
  const pool = types.flatMap((t, n) => (n < 9 ? [t, t, t] : [t]));
  const picked = new Set();
  const wanted = 4 + Math.floor(r() * 6);
  while (picked.size < wanted) picked.add(pool[Math.floor(r() * pool.length)]);
  /** @type {string[]} */
  const names = [...picked].map((t) => {
    const words = r() < 0.3 && t.aliases.length ? (t.aliases[Math.floor(r() * t.aliases.length)] ?? t.label) : t.label;
    return i % 4 === 1 && r() < 0.3 ? words.toUpperCase() : words;
  });
  if (i % 17 === 8) names.push("Mô hình “Nhà văn hóa an toàn”");
  if (i === 23) names[0] = "Camra an ninh";
  if (i % 13 === 5) names[0] = `${names[0]}.`;
  const weights = names.map(() => 1 + r() * 4);
  const sum = weights.reduce((a, b) => a + b, 0);
  const points = weights.map((w) => Math.max(1, Math.floor((w / sum) * count)));
  points[0] = Math.max(1, (points[0] ?? 0) + count - points.reduce((a, b) => a + b, 0));
  if (i % 10 === 3) points[points.length - 1] = (points[points.length - 1] ?? 0) + 2;
  return [...head, ...names.map((name, n) => [n + 1, name, points[n], ""])];
}

/** @param {string} outDir */
export async function generateDemo(outDir) {
  const catalog = parseCsv(await readFile(join(ROOT, "catalog", "indicators.csv"), "utf8"))
    .map((r) => ({
      code: r.code ?? "",
      label: r.label_vi ?? "",
      unit: r.unit_vi ?? "",
      kind: r.kind ?? "",
      overTime: r.over_time ?? "",
    }))
    .filter((i) => i.kind !== "ratio");
  const modelTypes = existsSync(MODEL_TYPES_CSV)
    ? parseCsv(await readFile(MODEL_TYPES_CSV, "utf8")).map((t) => ({
        label: t.label_vi ?? "",
        aliases: (t.aliases ?? "").split(";").filter(Boolean),
      }))
    : [];

  const r = seededRandom(20251122);
  const names = new Set();
  /** @type {{ code: string, name: string, fullName: string, kind: string }[]} */
  const communes = [];
  while (communes.length < DEMO_COMMUNE_COUNT) {
    const name = `${FIRST[Math.floor(r() * FIRST.length)]} ${SECOND[Math.floor(r() * SECOND.length)]}`;
    if (names.has(name)) continue;
    names.add(name);
    const i = communes.length;
    const kind = i === 0 ? "special_zone" : i % 7 === 1 ? "ward" : "commune";
    const prefix = kind === "ward" ? "Phường" : kind === "special_zone" ? "Đặc khu" : "Xã";
    communes.push({ code: String(99001 + i * 3), name, fullName: `${prefix} ${name}`, kind });
  }

  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const units = [
    "code,name,full_name,kind,parent_code,code_name",
    `${DEMO_PROVINCE.code},${csvCell(DEMO_PROVINCE.name)},${csvCell(DEMO_PROVINCE.fullName)},province,,minh_son_demo`,
  ];
  const sources = ["unit_code,sheet,tab,layout"];
  for (const [i, c] of communes.entries()) {
    units.push([c.code, c.name, c.fullName, c.kind, DEMO_PROVINCE.code, ""].map(csvCell).join(","));
    const id = sheetId(r);
    const { y2024, y2025 } = communeFigures(r);
    if (UNREGISTERED.includes(i)) continue;
    sources.push(
      i % 2 ? `${c.code},https://docs.google.com/spreadsheets/d/${id}/edit#gid=0,,form` : `${c.code},${id},,form`,
    );
    const labelsOnly = LABELS_ONLY.includes(i);
    const mistakes = MISTAKES[i] ?? {};
    const quarterly = QUARTERLY_2024.includes(i);
    const before = quarterly ? QUARTERS_2024 : ["Năm 2024"];
    /** @type {unknown[][]} */
    const values = [
      [`UBND ${c.fullName.toUpperCase()}`],
      ["CÔNG AN XÃ"],
      [],
      ["BIỂU SỐ LIỆU PHONG TRÀO TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC"],
      ["(Dữ liệu mẫu, không phải số liệu thật)"],
      labelsOnly
        ? ["STT", "Chỉ tiêu", "Đơn vị tính", ...before, "Năm 2025", "Ghi chú"]
        : ["STT", "Chỉ tiêu", "Mã", "Đơn vị tính", ...before, "Năm 2025", "Ghi chú"],
    ];
    catalog.forEach((ind, n) => {
      const v24 = quarterly ? quarters(y2024[ind.code] ?? 0, ind.overTime) : [y2024[ind.code] ?? 0];
      const v25 = y2025[ind.code] ?? 0;
      // Some clerks type numbers as text the Vietnamese way.
      const typed25 =
        i === BROKEN_FORMULAS
          ? "#REF!"
          : (mistakes[ind.code] ?? (i % 5 === 2 && v25 >= 1000 ? new Intl.NumberFormat("vi-VN").format(v25) : v25));
      const label = labelsOnly && ind.code === "security_team_count" ? "Tổ BV ANTT" : ind.label;
      values.push(
        labelsOnly ? [n + 1, label, ind.unit, ...v24, typed25] : [n + 1, label, ind.code, ind.unit, ...v24, typed25],
      );
    });
    const fixture = {
      properties: {
        title: `Biểu số liệu ANTQ - ${c.fullName} (dữ liệu mẫu)`,
        locale: "vi_VN",
        timeZone: "Asia/Ho_Chi_Minh",
      },
      modifiedTime: "2026-11-20T03:15:00Z",
      version: String(100 + i),
      access: i === FORBIDDEN ? "forbidden" : "ok",
      // Most communes shared their sheet with the service account as editor: the check results go back into it.
      serviceAccount: i % 7 === 3 ? "reader" : "writer",
      sheets: [{ properties: { sheetId: 0, title: "Năm 2025" }, values }],
    };
    const models = modelsTab(i, y2025.self_managed_model_count ?? 0, modelTypes);
    if (models) {
      models.unshift([`UBND ${c.fullName.toUpperCase()}`]);
      fixture.sheets.push({ properties: { sheetId: 1, title: "Mô hình" }, values: models });
    }
    await writeFile(join(outDir, `${id}.json`), JSON.stringify(fixture));
  }
  await writeFile(join(outDir, "units.csv"), `${units.join("\n")}\n`);
  await writeFile(join(outDir, "boundaries.geojson"), JSON.stringify(demoBoundaries(communes.map((c) => c.code))));
  await writeFile(join(outDir, "sources.csv"), `${sources.join("\n")}\n`);
  await writeFile(
    join(outDir, "README.md"),
    `# Dữ liệu mẫu (demo)\n\nTỉnh “${DEMO_PROVINCE.fullName}” và ${DEMO_COMMUNE_COUNT} xã là dữ liệu tổng hợp để thử nghiệm, không phải số liệu thật.\n`,
  );
  return { communes: communes.length, sources: sources.length - 1 };
}

/**
 * Made-up boundaries for the made-up communes, so the map is there on a fresh clone: Voronoi cells of seeded points
 * inside an oval “province”, each cell clipped to the oval (GeoJSON, longitude/latitude, the unit code in `code`).
 * @param {string[]} codes
 */
function demoBoundaries(codes) {
  const r = seededRandom(4242);
  const [cx, cy, rx, ry] = [105.5, 21.4, 0.6, 0.45];
  /** @type {[number, number][]} the oval as a convex 48-gon, counter-clockwise */
  const outline = Array.from({ length: 48 }, (_, i) => {
    const a = (2 * Math.PI * i) / 48;
    return [cx + rx * Math.cos(a), cy + ry * Math.sin(a)];
  });
  /** @type {[number, number][]} */
  const points = [];
  while (points.length < codes.length) {
    const [x, y] = [cx + rx * (2 * r() - 1), cy + ry * (2 * r() - 1)];
    if (((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 < 0.92) points.push([x, y]);
  }
  const voronoi = Delaunay.from(points).voronoi([cx - rx, cy - ry, cx + rx, cy + ry]);
  const round = (/** @type {number} */ v) => Math.round(v * 1e5) / 1e5;
  return {
    type: "FeatureCollection",
    features: codes.map((code, i) => {
      const cell = clip(/** @type {[number, number][]} */ (voronoi.cellPolygon(i)).slice(0, -1), outline);
      const ring = [...cell, /** @type {[number, number]} */ (cell[0])].map(([x, y]) => [round(x), round(y)]);
      return { type: "Feature", properties: { code }, geometry: { type: "Polygon", coordinates: [ring] } };
    }),
  };
}

/**
 * Sutherland–Hodgman: a polygon clipped to a convex, counter-clockwise one.
 * @param {[number, number][]} subject @param {[number, number][]} convex @returns {[number, number][]}
 */
function clip(subject, convex) {
  let out = subject;
  for (let i = 0; i < convex.length; i++) {
    const a = /** @type {[number, number]} */ (convex[i]);
    const b = /** @type {[number, number]} */ (convex[(i + 1) % convex.length]);
    const inside = (/** @type {[number, number]} */ p) =>
      (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]) >= 0;
    const cross = (/** @type {[number, number]} */ p, /** @type {[number, number]} */ q) => {
      const [dx, dy, ex, ey] = [q[0] - p[0], q[1] - p[1], b[0] - a[0], b[1] - a[1]];
      const t = (ex * (p[1] - a[1]) - ey * (p[0] - a[0])) / (ey * dx - ex * dy);
      return /** @type {[number, number]} */ ([p[0] + t * dx, p[1] + t * dy]);
    };
    const input = out;
    out = [];
    for (let j = 0; j < input.length; j++) {
      const p = /** @type {[number, number]} */ (input[j]);
      const q = /** @type {[number, number]} */ (input[(j + 1) % input.length]);
      if (inside(q)) {
        if (!inside(p)) out.push(cross(p, q));
        out.push(q);
      } else if (inside(p)) out.push(cross(p, q));
    }
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = resolve(process.argv[2] ?? join(ROOT, ".local", "demo"));
  const result = await generateDemo(out);
  console.log(`Demo data: ${result.communes} communes, ${result.sources} sheets in ${out}`);
}
