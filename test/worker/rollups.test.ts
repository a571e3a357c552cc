import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { runSync } from "../../worker/sync/run";
import {
  client,
  formSheet,
  ok,
  postCsv,
  putSheet,
  registerSources,
  resetDatabase,
  rowsRead,
  seedReference,
  syncNow,
  UNITS_CSV,
} from "./helpers";

type Row = [code: string, label: string, ...cells: unknown[]];
const resync = () => runSync(env, { trigger: "manual" });

/** Each commune's sheet: 2024 and 2025 columns of a few sums and the safe areas' ratio parts. */
function communeSheet(title: string, teams: [unknown, unknown], areas: [unknown, unknown], safe: [unknown, unknown]) {
  const rows: Row[] = [
    ["security_team_count", "Số tổ bảo vệ ANTT ở cơ sở", ...teams],
    ["residential_area_total", "Tổng số khu dân cư", ...areas],
    ["residential_area_safe", "Số khu dân cư an toàn", ...safe],
  ];
  return formSheet(title, ["Năm 2024", "Năm 2025"], rows);
}

const SHEETS: [code: string, id: string, title: string][] = [
  ["12745", "r-bdq", "Xã Bắc Đông Quan"],
  ["11953", "r-ph", "Phường Phố Hiến"],
  ["11980", "r-hc", "Phường Hồng Châu"],
  ["11983", "r-sn", "Phường Sơn Nam"],
];

async function register(which = SHEETS) {
  await registerSources(`unit_code,sheet,tab,layout\n${which.map(([c, id]) => `${c},${id},,form`).join("\n")}\n`);
}

/**
 * The oracle: every roll-up row computed here from `indicator_values` and `units` alone, as the figures are defined
 * (sums over the communes; a ratio's parts over those with both; like for like over those with both periods).
 */
async function expectedRollups(): Promise<Record<string, Record<string, number>>> {
  const units = (
    await env.DB.prepare("SELECT code, kind, parent_code AS parent FROM units WHERE valid_from = '2025-07-01'").all<{
      code: string;
      kind: string;
      parent: string | null;
    }>()
  ).results;
  const values = (
    await env.DB.prepare("SELECT unit_code AS unit, indicator_code AS code, period, value FROM indicator_values").all<{
      unit: string;
      code: string;
      period: string;
      value: number;
    }>()
  ).results;
  const ratios = (
    await env.DB.prepare(
      "SELECT code, numerator, denominator FROM indicators WHERE kind = 'ratio' AND active = 1",
    ).all<{ code: string; numerator: string; denominator: string }>()
  ).results;
  const parent = new Map(units.map((u) => [u.code, u.parent]));
  const value = new Map(values.map((v) => [`${v.unit}|${v.code}|${v.period}`, v.value]));
  const get = (unit: string, code: string, period: string) => value.get(`${unit}|${code}|${period}`);
  const periods = new Set<string>();
  for (const v of values) periods.add(v.period).add(String(Number(v.period) + 1));
  const out: Record<string, Record<string, number>> = {};
  const add = (unit: string, period: string, code: string, parts: Record<string, number>) => {
    const key = `${unit}|${period}|${code}`;
    out[key] ??= {};
    const row = out[key];
    for (const [k, n] of Object.entries(parts)) row[k] = (row[k] ?? 0) + n;
  };
  for (const commune of units.filter((u) => ["commune", "ward", "special_zone"].includes(u.kind))) {
    const chain = [commune.code];
    for (let at = parent.get(commune.code); at; at = parent.get(at)) chain.push(at);
    chain.push("VN");
    const codes = new Set(values.filter((v) => v.unit === commune.code).map((v) => v.code));
    for (const period of periods) {
      const before = String(Number(period) - 1);
      for (const code of codes) {
        const [now, then] = [get(commune.code, code, period), get(commune.code, code, before)];
        if (now === undefined && then === undefined) continue;
        const both = now !== undefined && then !== undefined;
        for (const unit of chain)
          add(unit, period, code, {
            total: now ?? 0,
            reporting: now === undefined ? 0 : 1,
            previousTotal: then ?? 0,
            previousReporting: then === undefined ? 0 : 1,
            sameCommunes: both ? 1 : 0,
            sameTotal: both ? now! : 0,
            samePrevious: both ? then! : 0,
          });
      }
      for (const r of ratios) {
        const [n1, d1] = [get(commune.code, r.numerator, period), get(commune.code, r.denominator, period)];
        const [n0, d0] = [get(commune.code, r.numerator, before), get(commune.code, r.denominator, before)];
        const now = n1 !== undefined && d1 !== undefined;
        const then = n0 !== undefined && d0 !== undefined;
        if (!now && !then) continue;
        for (const unit of chain)
          add(unit, period, r.code, {
            numerator: now ? n1! : 0,
            denominator: now ? d1! : 0,
            reporting: now ? 1 : 0,
            previousNumerator: then ? n0! : 0,
            previousDenominator: then ? d0! : 0,
            previousReporting: then ? 1 : 0,
            sameCommunes: now && then ? 1 : 0,
            sameNumerator: now && then ? n1! : 0,
            sameDenominator: now && then ? d1! : 0,
          });
      }
    }
  }
  return out;
}

/** The live roll-ups as stored, in the oracle's shape (zeros left out on both sides). */
async function storedRollups(): Promise<Record<string, Record<string, number>>> {
  const rows = (
    await env.DB.prepare(
      `SELECT unit_code, period, indicator_code, total, numerator, denominator, reporting,
              previous_total AS previousTotal, previous_reporting AS previousReporting, previous_numerator AS previousNumerator,
              previous_denominator AS previousDenominator, same_communes AS sameCommunes, same_total AS sameTotal,
              same_previous AS samePrevious, same_numerator AS sameNumerator, same_denominator AS sameDenominator
       FROM rollups WHERE conference_id = 0`,
    ).all<Record<string, string | number>>()
  ).results;
  return Object.fromEntries(
    rows.map(({ unit_code, period, indicator_code, ...parts }) => [
      `${unit_code}|${period}|${indicator_code}`,
      Object.fromEntries(Object.entries(parts).filter(([, n]) => n !== 0)) as Record<string, number>,
    ]),
  );
}

async function expectExact() {
  const expected = await expectedRollups();
  for (const row of Object.values(expected)) for (const k of Object.keys(row)) if (row[k] === 0) delete row[k];
  expect(await storedRollups()).toEqual(expected);
}

const figure = async (unit: string, code: string) =>
  (await ok(client.summary.$get({ query: { unit, period: "2025" } }))).indicators.find((i) => i.code === code);

describe("roll-ups", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedReference();
  });

  it("stay exactly the sums of the communes through changes, cleared cells and a failing sheet", async () => {
    await putSheet("r-bdq", communeSheet("Xã Bắc Đông Quan", [10, 12], [20, 20], [18, 19]));
    await putSheet("r-ph", communeSheet("Phường Phố Hiến", ["", 7], [9, 10], [9, 10]));
    await putSheet("r-hc", communeSheet("Phường Hồng Châu", [4, 5], ["", 8], ["", 6]));
    await register(SHEETS.slice(0, 3));
    expect((await syncNow()).status).toBe("ok");
    await expectExact();
    expect(await figure("33", "security_team_count")).toMatchObject({
      value: 24,
      previous: 14,
      reporting: 3,
      comparable: { value: 17, previous: 14, communes: 2 },
    });

    // A value changes, a cell is cleared, a commune appears.
    await putSheet("r-bdq", { ...communeSheet("Xã Bắc Đông Quan", [10, 15], [20, 20], [18, 19]), version: "2" });
    await putSheet("r-ph", { ...communeSheet("Phường Phố Hiến", ["", ""], [9, 10], [9, 10]), version: "2" });
    await putSheet("r-sn", communeSheet("Phường Sơn Nam", [3, 3], [5, 5], [5, 4]));
    await register(SHEETS.slice(3));
    expect((await resync()).status).toBe("ok");
    await expectExact();
    const teams = await figure("33", "security_team_count");
    expect(teams).toMatchObject({
      value: 15 + 5 + 3,
      reporting: 3,
      comparable: { value: 23, previous: 17, communes: 3 },
    });
    expect((await figure("VN", "security_team_count"))!.value).toBe(23);
    const rate = (await figure("33", "residential_area_safe_rate"))!;
    expect(rate.value).toBeCloseTo((100 * (19 + 10 + 6 + 4)) / (20 + 10 + 8 + 5), 10);
    expect(rate.reporting).toBe(4);

    // A sheet Google no longer lets us read keeps its last good values, and so its figures.
    await putSheet("r-hc", { ...communeSheet("Phường Hồng Châu", [40, 50], ["", 8], ["", 6]), access: "forbidden" });
    await resync();
    await expectExact();
    expect((await figure("33", "security_team_count"))!.value).toBe(23);
  });

  it("move with a commune when a unit list is imported again, and are rebuilt by a catalog import", async () => {
    for (const [, id, title] of SHEETS) await putSheet(id, communeSheet(title, [1, 2], [4, 4], [3, 4]));
    await register();
    await syncNow();
    // Hồng Châu moves to another province in a corrected list of the same date.
    const moved = UNITS_CSV.replace(
      "11980,Hồng Châu,Phường Hồng Châu,ward,33",
      "11980,Hồng Châu,Phường Hồng Châu,ward,01",
    ).concat("01,Hà Nội,Thành phố Hà Nội,city,,ha_noi\n");
    expect((await postCsv("/api/admin/units?validFrom=2025-07-01", moved)).status).toBe(200);
    await expectExact();
    expect((await figure("33", "security_team_count"))!.value).toBe(6);
    expect((await figure("01", "security_team_count"))!.value).toBe(2);
    expect((await figure("VN", "security_team_count"))!.value).toBe(8);
    expect((await ok(client.summary.$get({ query: { unit: "01", period: "2025" } }))).coverage).toMatchObject({
      expected: 1,
      reported: 1,
    });

    await env.DB.exec("DELETE FROM rollups");
    expect((await postCsv("/api/admin/catalog", env.TEST_CATALOG_CSV)).status).toBe(200);
    await expectExact();
  });

  it("change in the values' own batch: a write that fails leaves both as they were", async () => {
    await putSheet("r-bdq", communeSheet("Xã Bắc Đông Quan", [10, 12], [20, 20], [18, 19]));
    await register(SHEETS.slice(0, 1));
    await syncNow();
    // The province's roll-up cannot be written: the values' batch must fail with it.
    await env.DB.exec(
      "CREATE TRIGGER fail_rollup BEFORE UPDATE ON rollups WHEN NEW.unit_code = '33' BEGIN SELECT RAISE(ABORT, 'disk full'); END",
    );
    await putSheet("r-bdq", { ...communeSheet("Xã Bắc Đông Quan", [10, 99], [20, 20], [18, 19]), version: "2" });
    try {
      await resync();
    } finally {
      await env.DB.exec("DROP TRIGGER fail_rollup");
    }
    const stored = await env.DB.prepare(
      "SELECT value FROM indicator_values WHERE unit_code = '12745' AND indicator_code = 'security_team_count' AND period = '2025'",
    ).first<{ value: number }>();
    expect(stored?.value).toBe(12);
    await expectExact();
    expect((await figure("33", "security_team_count"))!.value).toBe(12);
    // The next sync writes it.
    await resync();
    expect((await figure("33", "security_team_count"))!.value).toBe(99);
    await expectExact();
  });

  it("are built for values that have none (a database from before them) at the next sync, read from the values till then", async () => {
    await putSheet("r-bdq", communeSheet("Xã Bắc Đông Quan", [10, 12], [20, 20], [18, 19]));
    await register(SHEETS.slice(0, 1));
    await syncNow();
    await env.DB.exec("DELETE FROM rollups; DELETE FROM rollup_coverage; DELETE FROM rollup_state");
    // What a migrated database looks like: values, no roll-ups. The figures are computed from the values meanwhile.
    expect(await figure("33", "security_team_count")).toMatchObject({ value: 12, previous: 10 });
    expect((await ok(client.summary.$get({ query: { unit: "33", period: "2025" } }))).coverage).toMatchObject({
      expected: 5,
      reported: 1,
    });
    await resync();
    await expectExact();
    expect(await figure("33", "security_team_count")).toMatchObject({ value: 12, previous: 10 });
  });

  it("answer another comparison from the commune values, exactly", async () => {
    await putSheet("r-bdq", communeSheet("Xã Bắc Đông Quan", [10, 12], [20, 20], [18, 19]));
    await putSheet("r-ph", communeSheet("Phường Phố Hiến", ["", 7], [9, 10], [9, 10]));
    await register(SHEETS.slice(0, 2));
    await syncNow();
    // 2024 against 2025: not a stored pair.
    const back = (
      await ok(client.summary.$get({ query: { unit: "33", period: "2024", compare: "2025" } }))
    ).indicators.find((i) => i.code === "security_team_count");
    expect(back).toMatchObject({ value: 10, previous: 19, reporting: 1, previousReporting: 2 });
    expect(back!.comparable).toEqual({ value: 10, previous: 12, communes: 1 });
    const rows = (
      await ok(
        client.breakdown.$get({
          query: { unit: "33", period: "2024", compare: "2025", indicator: "security_team_count" },
        }),
      )
    ).rows;
    expect(rows.find((r) => r.unit.code === "11953")).toMatchObject({ value: null, previous: 7 });
  });

  it("cost the same rows to read whether one commune or four report", async () => {
    await putSheet("r-bdq", communeSheet("Xã Bắc Đông Quan", [10, 12], [20, 20], [18, 19]));
    await register(SHEETS.slice(0, 1));
    await syncNow();
    const paths = ["/api/summary?unit=VN&period=2025", "/api/summary?unit=33&period=2025"];
    const one = await Promise.all(paths.map(rowsRead));
    for (const [, id, title] of SHEETS.slice(1)) await putSheet(id, communeSheet(title, [1, 2], [4, 4], [3, 4]));
    await register(SHEETS.slice(1));
    await resync();
    const four = await Promise.all(paths.map(rowsRead));
    expect(four).toEqual(one);
    expect(Math.max(...four)).toBeLessThan(200);
  });
});
