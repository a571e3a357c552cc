/**
 * What the administrators' pages read about sheets and runs: a one-sheet read told apart from a sync by hand, the run
 * each sheet was last read in (to say which sheets a run failed), and the communes no sheet reads yet.
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { startManualSync } from "../../worker/sync/manual";
import { client, formSheet, ok, putSheet, registerSources, resetDatabase, seedReference, syncNow } from "./helpers";

const register = (sheet: string, unitCode: string) =>
  ok(client.admin.sources.register.$post({ json: { sheet, unitCode, layout: "form", tab: null } }));
const runs = async () => (await ok(client.sync.runs.$get())).runs;
const missing = async (unit: string) =>
  (await ok(client.sources.missing.$get({ query: { unit } }))).communes.map((c) => c.code);

describe("a sheet read on its own", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedReference();
    await putSheet("one-bdq", formSheet("Xã Bắc Đông Quan", ["Năm 2025"], [["security_team_count", "Số tổ", 12]]));
  });

  it("is a run of its own kind when registered and when read again, not a sync by hand", async () => {
    const { source, run } = await register("one-bdq", "12745");
    expect((await runs())[0]).toMatchObject({ id: run.runId, trigger: "sheet", sourcesTotal: 1, sourcesRead: 1 });
    const again = await ok(client.admin.sources[":id"].read.$post({ param: { id: String(source.id) } }));
    expect((await runs())[0]).toMatchObject({ id: again.run.runId, trigger: "sheet" });
    expect((await runs()).map((r) => r.trigger)).toEqual(["sheet", "sheet"]);
  });

  it("does not hold back a sync by hand right after it", async () => {
    await register("one-bdq", "12745");
    const run = await startManualSync({ ...env, SYNC_MANUAL_INTERVAL_SECONDS: "30" }, "admin@example.gov.vn");
    expect(run.status).toBe("ok");
    expect((await runs())[0]).toMatchObject({ trigger: "manual" });
  });
});

describe("the run each sheet was last read in", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedReference();
  });

  it("names the run that failed a sheet, and the run that read one", async () => {
    await putSheet("last-ok", formSheet("Xã Bắc Đông Quan", ["Năm 2025"], [["security_team_count", "Số tổ", 3]]));
    await putSheet(
      "last-bad",
      formSheet("Phường Phố Hiến", ["Năm 2025"], [["security_team_count", "Số tổ", 4]], { access: "forbidden" }),
    );
    await registerSources("unit_code,sheet,tab,layout\n12745,last-ok,,form\n11953,last-bad,,form\n");
    const run = await syncNow();
    const { sources } = await ok(client.sources.$get({ query: { unit: "33" } }));
    expect(sources.find((s) => s.spreadsheetId === "last-bad")).toMatchObject({
      lastStatus: "error",
      lastRunId: run.runId,
    });
    expect(sources.find((s) => s.spreadsheetId === "last-ok")).toMatchObject({
      lastStatus: "ok",
      lastRunId: run.runId,
    });
  });
});

describe("the communes no sheet reads", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedReference();
    await putSheet("cov-bdq", formSheet("Xã Bắc Đông Quan", ["Năm 2025"], [["security_team_count", "Số tổ", 5]]));
  });

  it("are every commune of the province but those with an active sheet, and a stopped sheet counts as none", async () => {
    expect(await missing("33")).toEqual(["11953", "11980", "11983", "12103", "12745"]);
    const { source } = await register("cov-bdq", "12745");
    expect(await missing("33")).toEqual(["11953", "11980", "11983", "12103"]);
    expect(await missing("12745")).toEqual([]);
    expect(await missing("11953")).toEqual(["11953"]);
    await ok(client.admin.sources[":id"].$delete({ param: { id: String(source.id) } }));
    expect(await missing("33")).toContain("12745");
  });

  it("are none of the province's communes once a summary table of the province is read", async () => {
    await registerSources("unit_code,sheet,tab,layout\n33,cov-table,,table\n");
    expect(await missing("33")).toEqual([]);
    expect(await missing("VN")).toEqual([]);
  });
});
