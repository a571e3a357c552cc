/** PRODUCT.md §6 through the real sync, the stand-in and local D1: last good kept, nothing rewritten, nothing lost. */
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runSync } from "../../worker/sync/run";
import {
  client,
  type Fixture,
  formSheet,
  ok,
  postCsv,
  putSheet,
  registerSources,
  resetDatabase,
  resetStandinStats,
  seedReference,
  standinStats,
  syncNow,
} from "./helpers";

const BDQ = (version: string, members: unknown = 39, extra: Partial<Fixture> = {}) =>
  formSheet(
    "Xã Bắc Đông Quan",
    ["Năm 2024", "Năm 2025"],
    [
      ["security_team_count", "Số tổ bảo vệ an ninh trật tự ở cơ sở", 11, 12],
      ["security_team_members", "Số thành viên tổ bảo vệ an ninh trật tự", 37, members],
      ["residential_area_total", "Tổng số khu dân cư", 13, 14],
    ],
    { version, ...extra },
  );

async function storedValues(unit: string) {
  const { results } = await env.DB.prepare(
    "SELECT indicator_code, period, value, written_at, first_written_at FROM indicator_values WHERE unit_code = ? ORDER BY indicator_code, period",
  )
    .bind(unit)
    .all();
  return results;
}

async function sourceRow(unit: string) {
  return env.DB.prepare("SELECT * FROM sources WHERE unit_code = ?").bind(unit).first<Record<string, unknown>>();
}

describe("sync safety", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedReference();
    await resetStandinStats();
  });

  it("a second sync on unchanged sheets costs one Drive call per sheet, no Sheets call, and writes nothing", async () => {
    await putSheet("safe-idem", BDQ("1"));
    await registerSources("unit_code,sheet,tab,layout\n12745,safe-idem,,form\n");
    const first = await syncNow();
    expect(first).toMatchObject({ sourcesRead: 1, sourcesSkipped: 0, status: "ok" });
    expect(first.valuesWritten).toBe(6);
    const before = { values: await storedValues("12745"), source: await sourceRow("12745") };
    const auditBefore = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM audit_log WHERE action != 'sync.manual'",
    ).first<{ n: number }>();

    await resetStandinStats();
    const second = await syncNow();
    expect(second).toMatchObject({
      sourcesRead: 0,
      sourcesSkipped: 1,
      valuesWritten: 0,
      valuesRemoved: 0,
      status: "ok",
    });
    const stats = await standinStats();
    expect(stats["drive.files.get"]).toBe(1);
    expect(stats["sheets.values.batchGet"] ?? 0).toBe(0);
    expect(stats["sheets.spreadsheets.get"] ?? 0).toBe(0);
    expect(await storedValues("12745")).toEqual(before.values);
    expect(await sourceRow("12745")).toEqual(before.source);
    // Only the manual start itself is audited (an admin action); the sync wrote nothing.
    expect(
      await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action != 'sync.manual'").first<{ n: number }>(),
    ).toEqual(auditBefore);
  });

  it("a changed sheet is read with one Sheets read (tabs and cells at once); an unchanged value keeps its timestamp", async () => {
    await putSheet("safe-change", BDQ("1"));
    await registerSources("unit_code,sheet,tab,layout\n12745,safe-change,,form\n");
    await syncNow();
    const before = await storedValues("12745");
    await putSheet("safe-change", BDQ("2", 45));
    await resetStandinStats();
    const run = await syncNow();
    expect(run).toMatchObject({ sourcesRead: 1, valuesWritten: 1 });
    const stats = await standinStats();
    expect(stats["sheets.spreadsheets.get"]).toBe(1);
    expect(stats["sheets.values.batchGet"]).toBeUndefined();
    const after = await storedValues("12745");
    const members = after.find((v) => v.indicator_code === "security_team_members" && v.period === "2025")!;
    expect(members.value).toBe(45);
    const teams = (rows: typeof after) =>
      rows.find((v) => v.indicator_code === "security_team_count" && v.period === "2025");
    expect(teams(after)).toEqual(teams(before));
  });

  it("an unchanged sheet is read again once after the catalog changes, and not after the same catalog is imported again", async () => {
    await putSheet("safe-catalog", BDQ("1"));
    await registerSources("unit_code,sheet,tab,layout\n12745,safe-catalog,,form\n");
    await syncNow();
    expect((await postCsv("/api/admin/catalog", env.TEST_CATALOG_CSV)).status).toBe(200);
    expect(await syncNow()).toMatchObject({ sourcesRead: 0, sourcesSkipped: 1 });
    const renamed = env.TEST_CATALOG_CSV.replace("Số tổ hòa giải ở cơ sở", "Số tổ hòa giải");
    expect((await postCsv("/api/admin/catalog", renamed)).status).toBe(200);
    expect(await syncNow()).toMatchObject({ sourcesRead: 1, sourcesSkipped: 0, valuesWritten: 0 });
    expect(await syncNow()).toMatchObject({ sourcesRead: 0, sourcesSkipped: 1 });
  });

  it("a cleared cell removes its value, and the removal is in the audit log", async () => {
    await putSheet("safe-clear", BDQ("1"));
    await registerSources("unit_code,sheet,tab,layout\n12745,safe-clear,,form\n");
    await syncNow();
    await putSheet("safe-clear", BDQ("2", ""));
    const run = await syncNow();
    expect(run).toMatchObject({ valuesRemoved: 1 });
    const left = await storedValues("12745");
    expect(left.some((v) => v.indicator_code === "security_team_members" && v.period === "2025")).toBe(false);
    const audit = await env.DB.prepare(
      "SELECT actor, action, target, detail FROM audit_log WHERE action = 'value.removed'",
    ).all();
    expect(audit.results).toHaveLength(1);
    expect(audit.results[0]).toMatchObject({ actor: "sync", target: "12745/security_team_members/2025" });
    expect(JSON.parse(String(audit.results[0]!.detail))).toMatchObject({ value: 39, cell: "'Năm 2025'!F5" });
  });

  it("a sheet that becomes forbidden keeps its last good values and says why", async () => {
    await putSheet("safe-forbidden", BDQ("1"));
    await registerSources("unit_code,sheet,tab,layout\n12745,safe-forbidden,,form\n");
    await syncNow();
    const good = await storedValues("12745");
    await putSheet("safe-forbidden", BDQ("2", 50, { access: "forbidden" }));
    const run = await syncNow();
    expect(run).toMatchObject({ sourcesFailed: 1, status: "partial" });
    expect(await storedValues("12745")).toEqual(good);
    const { sources } = await ok(client.sources.$get({ query: { unit: "33" } }));
    expect(sources).toHaveLength(1);
    expect(sources[0]).toMatchObject({
      unitCode: "12745",
      unitName: "Xã Bắc Đông Quan",
      url: "https://docs.google.com/spreadsheets/d/safe-forbidden/edit#gid=0",
      layout: "form",
      active: true,
      lastStatus: "error",
      lastErrorCode: "forbidden",
      lastError: expect.stringContaining("chia sẻ"),
    });
    expect(Date.parse(sources[0]!.lastSuccessAt!)).toBeLessThan(Date.parse(sources[0]!.lastCheckedAt!) + 1);
    const { issues } = await ok(client.issues.$get({ query: { unit: "33", period: "2025" } }));
    expect(issues.filter((i) => i.severity === "source_error").map((i) => i.code)).toEqual(["forbidden"]);
  });

  const table = (rows: unknown[][]): Fixture => ({
    properties: { title: "Tổng hợp", locale: "vi_VN" },
    version: "1",
    sheets: [{ properties: { sheetId: 0, title: "Năm 2025" }, values: rows }],
  });
  it.each([
    ["forbidden", "12745", "kind-forbidden", "", { ...BDQ("1"), access: "forbidden" as const }],
    ["not_found", "12745", "kind-missing", "", null],
    ["no_header", "12745", "kind-noheader", "", table([["Chỉ có ghi chú"], ["1", "2"]])],
    ["no_tab", "12745", "kind-notab", "Năm 2030", BDQ("1")],
    [
      "unknown_unit",
      "33",
      "kind-unit",
      "",
      table([
        ["Mã xã", "Tên xã", "Số tổ bảo vệ ANTT"],
        ["99999", "Xã Lạ", 3],
      ]),
    ],
  ])("source error %s: nothing of the source is written, the reason is shown", async (kind, unit, id, tab, fixture) => {
    if (fixture) await putSheet(id, fixture);
    const layout = unit === "33" ? "table" : "form";
    await registerSources(`unit_code,sheet,tab,layout\n${unit},${id},${tab},${layout}\n`);
    const run = await syncNow();
    expect(run).toMatchObject({ sourcesFailed: 1, valuesWritten: 0 });
    const source = await sourceRow(unit);
    expect(source).toMatchObject({ last_status: "error", last_error_code: kind, last_version: null });
    expect(String(source!.last_error)).toMatch(/[ăâđêôơư]/);
    const issues = await env.DB.prepare("SELECT severity, code FROM issues").all();
    expect(issues.results).toEqual([{ severity: "source_error", code: kind }]);
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM indicator_values").first<{ n: number }>())!.n).toBe(0);
  });

  describe("a write that fails for one source", () => {
    afterEach(async () => {
      await env.DB.exec("DROP TRIGGER IF EXISTS fail_pho_hien_insert");
      await env.DB.exec("DROP TRIGGER IF EXISTS fail_pho_hien_update");
    });

    it("leaves the other sources written and itself exactly as before, then catches up", async () => {
      const pho = (version: string, teams: number) =>
        formSheet(
          "Phường Phố Hiến",
          ["Năm 2025"],
          [
            ["security_team_count", "Số tổ", teams],
            ["security_team_members", "Số thành viên", 80],
          ],
          { version },
        );
      await putSheet("fail-bdq", BDQ("1"));
      await putSheet("fail-pho", pho("1", 17));
      await registerSources("unit_code,sheet,tab,layout\n12745,fail-bdq,,form\n11953,fail-pho,,form\n");
      await syncNow();
      const phoBefore = await storedValues("11953");
      const issuesBefore = await env.DB.prepare("SELECT * FROM issues WHERE unit_code = '11953' ORDER BY id").all();

      await putSheet("fail-bdq", BDQ("2", 45));
      await putSheet("fail-pho", pho("2", 19));
      // A real failure inside D1: the write of Phố Hiến's batch aborts.
      await env.DB.exec(
        "CREATE TRIGGER fail_pho_hien_insert BEFORE INSERT ON indicator_values WHEN NEW.unit_code = '11953' BEGIN SELECT RAISE(ABORT, 'disk full'); END",
      );
      await env.DB.exec(
        "CREATE TRIGGER fail_pho_hien_update BEFORE UPDATE ON indicator_values WHEN NEW.unit_code = '11953' BEGIN SELECT RAISE(ABORT, 'disk full'); END",
      );
      const run = await syncNow();
      expect(run).toMatchObject({ sourcesRead: 1, sourcesFailed: 1, status: "partial" });
      expect(
        (await storedValues("12745")).find((v) => v.indicator_code === "security_team_members" && v.period === "2025")!
          .value,
      ).toBe(45);
      expect(await storedValues("11953")).toEqual(phoBefore);
      const issuesAfter = await env.DB.prepare(
        "SELECT * FROM issues WHERE unit_code = '11953' AND severity != 'source_error' ORDER BY id",
      ).all();
      expect(issuesAfter.results).toEqual(issuesBefore.results);
      expect(await sourceRow("11953")).toMatchObject({
        last_status: "error",
        last_error_code: "write_failed",
        last_version: expect.stringMatching(/^1@/),
      });

      await env.DB.exec("DROP TRIGGER fail_pho_hien_insert");
      await env.DB.exec("DROP TRIGGER fail_pho_hien_update");
      const retry = await syncNow();
      expect(retry).toMatchObject({ sourcesRead: 1, sourcesSkipped: 1, sourcesFailed: 0, status: "ok" });
      expect((await storedValues("11953")).find((v) => v.indicator_code === "security_team_count")!.value).toBe(19);
    });
  });

  it("retries 429 and 500 from Google with backoff, honouring Retry-After, without sleeping for real", async () => {
    await putSheet("retry-sheet", BDQ("1", 39, { faults: [{ status: 429, retryAfter: 7 }, 500] }));
    await registerSources("unit_code,sheet,tab,layout\n12745,retry-sheet,,form\n");
    const sleeps: number[] = [];
    const run = await runSync(env, {
      trigger: "manual",
      google: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 },
    });
    expect(run).toMatchObject({ sourcesRead: 1, sourcesFailed: 0, status: "ok" });
    expect(sleeps[0]).toBe(7000);
    expect(sleeps[1]).toBeGreaterThanOrEqual(1000);
    expect(sleeps[1]).toBeLessThanOrEqual(2000);
    expect((await standinStats())["drive.files.get"]).toBe(3);
  });

  it("gives up on a source after the last attempt, and the others still sync", async () => {
    await putSheet("retry-never", BDQ("1", 39, { faults: [503, 503, 503, 503, 503, 503] }));
    await putSheet("retry-fine", formSheet("Phường Phố Hiến", ["Năm 2025"], [["security_team_count", "Số tổ", 17]]));
    await registerSources("unit_code,sheet,tab,layout\n12745,retry-never,,form\n11953,retry-fine,,form\n");
    const run = await runSync(env, { trigger: "manual", google: { sleep: async () => undefined } });
    expect(run).toMatchObject({ sourcesRead: 1, sourcesFailed: 1, status: "partial" });
    expect(await sourceRow("12745")).toMatchObject({ last_error_code: "google" });
  });
});
