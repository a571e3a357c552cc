/**
 * What a figure stands on is said: a commune whose cells were rejected reported (its sheet needs fixing, which is not
 * silence), a figure counting communes whose sheet could not be read at the last sync says how many and since when,
 * and a ratio carries the parts it was computed from.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { client, formSheet, ok, putSheet, registerSources, resetDatabase, seedReference, syncNow } from "./helpers";

const summary = () => ok(client.summary.$get({ query: { unit: "33", period: "2025" } }));

describe("what a figure stands on", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedReference();
    await putSheet("fs-ok", formSheet("Xã Bắc Đông Quan", ["Năm 2025"], [["security_team_count", "Số tổ", 12]]));
    await putSheet("fs-typo", formSheet("Phường Phố Hiến", ["Năm 2025"], [["security_team_count", "Số tổ", "3,5"]]));
    await registerSources("unit_code,sheet,tab,layout\n12745,fs-ok,,form\n11953,fs-typo,,form\n");
    expect(await syncNow()).toMatchObject({ sourcesRead: 2, sourcesFailed: 0 });
  });

  it("calls a commune whose only cell was rejected one with an error to fix, not one that did not report", async () => {
    const { rows } = await ok(
      client.breakdown.$get({ query: { unit: "33", period: "2025", indicator: "security_team_count" } }),
    );
    const status = Object.fromEntries(rows.map((r) => [r.unit.code, [r.status, r.rejected]]));
    expect(status).toMatchObject({ "12745": ["reported", 0], "11953": ["error", 1], "11980": ["missing", 0] });

    const { communes } = await ok(client.coverage.silent.$get({ query: { unit: "33", period: "2025" } }));
    expect(communes.map((c) => [c.code, c.status])).toEqual(
      expect.arrayContaining([
        ["11953", "error"],
        ["11980", "missing"],
      ]),
    );
    expect((await summary()).coverage).toMatchObject({ expected: 5, reported: 1, rejected: 1 });

    // The whole country counts the commune once, under its province.
    const national = await ok(
      client.breakdown.$get({ query: { unit: "VN", period: "2025", indicator: "security_team_count" } }),
    );
    expect(national.rows.find((r) => r.unit.code === "33")).toMatchObject({ status: "reported", rejected: 1 });
  });

  it("says how many communes' figures come from sheets that could not be read at the last sync, and since when", async () => {
    expect((await summary()).stale).toBeNull();
    const before = (await ok(client.sources.$get({ query: { unit: "33" } }))).sources.find(
      (s) => s.spreadsheetId === "fs-ok",
    );
    await putSheet(
      "fs-ok",
      formSheet("Xã Bắc Đông Quan", ["Năm 2025"], [["security_team_count", "Số tổ", 99]], {
        access: "forbidden",
        version: "2",
      }),
    );
    expect(await syncNow()).toMatchObject({ sourcesFailed: 1 });
    const s = await summary();
    expect(s.stale).toEqual({ communes: 1, since: before?.lastSuccessAt });
    // The last good value still counts.
    expect(s.indicators.find((i) => i.code === "security_team_count")).toMatchObject({ value: 12 });
    const national = await ok(client.summary.$get({ query: { unit: "VN", period: "2025" } }));
    expect(national.stale).toMatchObject({ communes: 1 });
    const commune = await ok(client.summary.$get({ query: { unit: "12745", period: "2025" } }));
    expect(commune.stale).toMatchObject({ communes: 1 });
    const other = await ok(client.summary.$get({ query: { unit: "11953", period: "2025" } }));
    expect(other.stale).toBeNull();
  });

  it("gives a ratio with the parts it was computed from, over the communes that reported both", async () => {
    await putSheet(
      "fs-ok",
      formSheet(
        "Xã Bắc Đông Quan",
        ["Năm 2025"],
        [
          ["residential_area_total", "Tổng số khu dân cư", 20],
          ["residential_area_safe", "Khu dân cư an toàn", 18],
        ],
        { version: "3" },
      ),
    );
    await putSheet(
      "fs-typo",
      formSheet("Phường Phố Hiến", ["Năm 2025"], [["residential_area_total", "Tổng số khu dân cư", 30]], {
        version: "3",
      }),
    );
    await syncNow();
    const rate = (await summary()).indicators.find((i) => i.code === "residential_area_safe_rate");
    expect(rate).toMatchObject({ value: 90, reporting: 1, parts: { numerator: 18, denominator: 20 } });
    const total = (await summary()).indicators.find((i) => i.code === "residential_area_total");
    expect(total).toMatchObject({ value: 50, parts: null });
  });
});
