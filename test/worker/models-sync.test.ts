/**
 * Models by kind through the real sync, the Google stand-in and local D1 (PRODUCT.md §15): a commune's models tab
 * read in the same request as its form, kinds matched to the catalog, problems at their cells, roll-ups exact for the
 * province and the country, the answer of `GET /api/models` cheap in rows read.
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import {
  api,
  type Fixture,
  formSheet,
  postCsv,
  putSheet,
  registerSources,
  resetDatabase,
  resetStandinStats,
  seedReference,
  standinStats,
  syncNow,
  UNITS_CSV,
} from "./helpers";

type Row = [kind: unknown, points: unknown];

/** A commune's spreadsheet: its form (with the typed count of models) and, unless `models` is null, a models tab. */
function communeSheet(title: string, count: unknown, models: Row[] | null, version = "1", tabName = "Mô hình") {
  const sheet = formSheet(
    title,
    ["Năm 2025"],
    [
      ["security_team_count", "Số tổ bảo vệ an ninh trật tự ở cơ sở", 10],
      ["self_managed_model_count", "Số mô hình tự quản về an ninh trật tự", count],
    ],
    { version },
  );
  if (models)
    sheet.sheets.push({
      properties: { sheetId: 7, title: tabName },
      values: [
        [title.toUpperCase()],
        ["DANH SÁCH MÔ HÌNH TỰ QUẢN VỀ AN NINH TRẬT TỰ NĂM 2025"],
        ["STT", "Loại mô hình", "Số điểm", "Ghi chú"],
        ...models.map(([kind, points], i) => [i + 1, kind, points, ""]),
      ],
    });
  return sheet;
}

const BDQ: Row[] = [
  ["Camera an ninh", 12],
  ["Cổng trường ATGT", 3],
  ["Mô hình “Nhà văn hóa an toàn”", 2],
];
const PH: Row[] = [
  ["CAMERA ANTT", 8],
  ["Tổ liên gia an toàn PCCC", 4],
  ["Cổng trường an toàn về trật tự an toàn giao thông", 1],
  ["nhà văn hoá an toàn", 1],
];

async function seed(sheets: [id: string, unit: string, fixture: Fixture][], tab = "") {
  for (const [id, , fixture] of sheets) await putSheet(id, fixture);
  await registerSources(
    `unit_code,sheet,tab,layout\n${sheets.map(([id, unit]) => `${unit},${id},${tab},form`).join("\n")}\n`,
  );
}

const models = (unit: string, kind?: string) =>
  api(`/api/models?unit=${unit}&period=2025${kind ? `&kind=${encodeURIComponent(kind)}` : ""}`);

async function answer(unit: string, kind?: string) {
  const res = await models(unit, kind);
  if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
  return (await res.json()) as {
    kinds: { code: string; label: string; points: number; communes: number; inCatalog: boolean }[];
    distinctKinds: number;
    points: number;
    reportingCommunes: number;
    runningCommunes: number;
    expectedCommunes: number;
    withoutList: { code: string; name: string }[] | null;
    runningNone: { code: string; name: string }[] | null;
    kind: { code: string; running: { code: string; points: number }[]; without: { code: string }[] } | null;
  };
}

const rowsRead = (res: Response) => Number(/rows_read=(\d+)/.exec(res.headers.get("server-timing") ?? "")?.[1]);

async function issuesOf(unit: string) {
  const { results } = await env.DB.prepare(
    "SELECT severity, code, cell, indicator_code AS indicator, message FROM issues WHERE unit_code = ? AND cell IS NOT NULL ORDER BY cell",
  )
    .bind(unit)
    .all<{ severity: string; code: string; cell: string; indicator: string | null; message: string }>();
  return results;
}

/** What every unit's roll-ups should be, computed here from the stored lists. */
async function expectExactRollups() {
  const { results: lists } = await env.DB.prepare(
    "SELECT unit_code AS unit, kind, points FROM commune_models WHERE period = '2025'",
  ).all<{ unit: string; kind: string; points: number }>();
  const above = ["33", "VN"];
  const want = new Map<string, { points: number; communes: number }>();
  for (const l of lists)
    for (const unit of [l.unit, ...above]) {
      const k = `${unit}|${l.kind}`;
      const w = want.get(k) ?? { points: 0, communes: 0 };
      want.set(k, { points: w.points + l.points, communes: w.communes + 1 });
    }
  const { results: stored } = await env.DB.prepare(
    "SELECT unit_code AS unit, kind, points, communes FROM rollup_models WHERE period = '2025'",
  ).all<{ unit: string; kind: string; points: number; communes: number }>();
  expect(new Map(stored.map((r) => [`${r.unit}|${r.kind}`, { points: r.points, communes: r.communes }]))).toEqual(want);
}

describe("models by kind", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedReference();
    const res = await postCsv("/api/admin/model-types", env.TEST_MODEL_TYPES_CSV);
    if (!res.ok) throw new Error(await res.text());
    await resetStandinStats();
  });

  it("counts distinct kinds, points and communes per kind exactly, in one Sheets read per sheet", async () => {
    await seed([
      ["m-bdq", "12745", communeSheet("Xã Bắc Đông Quan", 17, BDQ)],
      ["m-ph", "11953", communeSheet("Phường Phố Hiến", 15, PH)],
      ["m-hc", "11980", communeSheet("Phường Hồng Châu", 0, [])],
      ["m-sn", "11983", communeSheet("Phường Sơn Nam", 4, null)],
    ]);
    const run = await syncNow();
    expect(run).toMatchObject({ status: "ok", sourcesRead: 4 });
    // One Sheets read per sheet: its form and its models tab come with its tabs.
    expect(await standinStats()).toMatchObject({ "sheets.spreadsheets.get": 4 });
    expect((await standinStats())["sheets.values.batchGet"]).toBeUndefined();

    const province = await answer("33");
    expect(province.kinds.map((k) => [k.code, k.label, k.points, k.communes, k.inCatalog])).toEqual([
      ["camera_an_ninh", "Camera an ninh", 20, 2, true],
      ["cong_truong_an_toan", "Cổng trường an toàn giao thông", 4, 2, true],
      ["lien_gia_an_toan_pccc", "Tổ liên gia an toàn phòng cháy chữa cháy", 4, 1, true],
      ["?nha van hoa an toan", "Mô hình “Nhà văn hóa an toàn”", 3, 2, false],
    ]);
    expect(province).toMatchObject({
      distinctKinds: 4,
      points: 31,
      reportingCommunes: 3,
      runningCommunes: 2,
      expectedCommunes: 5,
      withoutList: [
        { code: "12103", name: "Phường Mỹ Hào" },
        { code: "11983", name: "Phường Sơn Nam" },
      ],
      runningNone: [{ code: "11980", name: "Phường Hồng Châu" }],
    });
    const country = await answer("VN");
    expect(country).toMatchObject({ distinctKinds: 4, points: 31, reportingCommunes: 3, withoutList: null });
    expect(country.kinds).toEqual(province.kinds);
    const commune = await answer("11953");
    expect(commune).toMatchObject({ distinctKinds: 4, points: 14, reportingCommunes: 1, expectedCommunes: 1 });
    await expectExactRollups();

    // The speech leads its models sentence with the kinds (PRODUCT.md §15).
    const report = (await (await api("/api/report?unit=33&period=2025")).json()) as { paragraphs: string[] };
    expect(report.paragraphs).toContain(
      "Toàn tỉnh duy trì 4 loại mô hình với 31 điểm (theo danh sách mô hình của 3 xã), tiêu biểu: Camera an ninh (20 điểm); Cổng trường an toàn giao thông (4 điểm); Tổ liên gia an toàn phòng cháy chữa cháy (4 điểm).",
    );

    // A unit list imported again rebuilds the models roll-ups from the lists: the same answers.
    expect((await postCsv("/api/admin/units?validFrom=2025-07-01", UNITS_CSV)).status).toBe(200);
    expect(await answer("33")).toEqual(province);
    await expectExactRollups();

    const camera = await answer("33", "camera_an_ninh");
    expect(camera.kind?.running).toEqual([
      { code: "12745", name: "Xã Bắc Đông Quan", points: 12 },
      { code: "11953", name: "Phường Phố Hiến", points: 8 },
    ]);
    expect(camera.kind?.without.map((c) => c.code).sort()).toEqual(["11980", "11983", "12103"]);
    expect((await models("33", "to_tuan_tra_nhan_dan")).status).toBe(404);
  });

  it("says each problem at its cell, and a list disagreeing with the typed count at the count's cell", async () => {
    await seed([
      [
        "m-bad",
        "12745",
        communeSheet("Xã Bắc Đông Quan", 49, [
          ["Camera an ninh", 12],
          ["camera ANTT", 3],
          ["Tổ tuần tra nhân dân", "3,5"],
          ["Giáo xứ bình yên", -1],
          ["", 6],
          ["Mô hình lạ", 2],
        ]),
      ],
    ]);
    await syncNow();
    const issues = await issuesOf("12745");
    expect(issues.map((i) => [i.cell, i.severity, i.code])).toEqual([
      ["'Mô hình'!B5", "error", "models_duplicate"],
      ["'Mô hình'!B8", "error", "models_no_kind"],
      ["'Mô hình'!B9", "warning", "models_unknown_kind"],
      ["'Mô hình'!C6", "error", "not_integer"],
      ["'Mô hình'!C7", "error", "negative"],
      ["'Năm 2025'!E5", "warning", "models_count_differs"],
    ]);
    const differs = issues.find((i) => i.code === "models_count_differs");
    expect(differs).toMatchObject({ indicator: "self_managed_model_count" });
    expect(differs?.message).toContain("Tổng số điểm theo danh sách (14) khác số mô hình đã nhập (49)");
    expect(issues.find((i) => i.code === "models_unknown_kind")?.message).toContain(
      "Loại mô hình chưa có trong danh mục: “Mô hình lạ”",
    );
    expect((await answer("12745")).points).toBe(14);
  });

  it("writes nothing for an unchanged sheet, moves the roll-ups when the list changes, keeps the last good list on an error", async () => {
    await seed([
      ["m-a", "12745", communeSheet("Xã Bắc Đông Quan", 17, BDQ)],
      ["m-b", "11953", communeSheet("Phường Phố Hiến", 15, PH)],
    ]);
    await syncNow();
    const before = await env.DB.prepare("SELECT * FROM rollup_models ORDER BY unit_code, kind").all();
    expect(await syncNow()).toMatchObject({ sourcesRead: 0, sourcesSkipped: 2, valuesWritten: 0 });
    expect((await env.DB.prepare("SELECT * FROM rollup_models ORDER BY unit_code, kind").all()).results).toEqual(
      before.results,
    );

    // Phố Hiến drops its fire-safety groups and adds patrols; the province moves with it.
    await putSheet(
      "m-b",
      communeSheet(
        "Phường Phố Hiến",
        15,
        [
          ["Camera an ninh", 8],
          ["Tổ tuần tra nhân dân", 5],
          ["Cổng trường ATGT", 1],
          ["Nhà văn hóa an toàn", 1],
        ],
        "2",
      ),
    );
    expect(await syncNow()).toMatchObject({ sourcesRead: 1 });
    const after = await answer("33");
    expect(after.kinds.find((k) => k.code === "lien_gia_an_toan_pccc")).toBeUndefined();
    expect(after.kinds.find((k) => k.code === "to_tuan_tra_nhan_dan")).toMatchObject({ points: 5, communes: 1 });
    expect(after).toMatchObject({ distinctKinds: 4, points: 32 });
    await expectExactRollups();

    // A sheet that cannot be read keeps its last good list.
    await putSheet("m-b", { ...communeSheet("Phường Phố Hiến", 15, PH, "3"), access: "forbidden" });
    expect((await syncNow()).sourcesFailed).toBe(1);
    expect((await answer("33")).points).toBe(32);

    // A models tab removed from the sheet takes the commune's list away.
    await putSheet("m-b", communeSheet("Phường Phố Hiến", 15, null, "4"));
    await syncNow();
    expect(await answer("33")).toMatchObject({ points: 17, reportingCommunes: 1, distinctKinds: 3 });
    await expectExactRollups();
  });

  it("keeps a kind's last good points while its cell shows a failed formula", async () => {
    await seed([["m-ref", "12745", communeSheet("Xã Bắc Đông Quan", 17, BDQ)]]);
    await syncNow();
    const broken: Row[] = [["Camera an ninh", "#REF!"], ...BDQ.slice(1)];
    await putSheet("m-ref", communeSheet("Xã Bắc Đông Quan", 17, broken, "2"));
    await syncNow();
    expect((await answer("33")).kinds.find((k) => k.code === "camera_an_ninh")).toMatchObject({ points: 12 });
    expect((await issuesOf("12745")).find((i) => i.cell === "'Mô hình'!C4")).toMatchObject({
      severity: "error",
      code: "formula_error",
    });
    expect((await issuesOf("12745")).map((i) => i.code)).not.toContain("models_count_differs");
  });

  it("reads the models tab beside a registered tab in the same request", async () => {
    await seed([["m-tab", "12745", communeSheet("Xã Bắc Đông Quan", 17, BDQ, "1", "Mô hình 2025")]], "Năm 2025");
    await syncNow();
    expect(await standinStats()).toMatchObject({ "sheets.spreadsheets.get": 1 });
    expect((await standinStats())["sheets.values.batchGet"]).toBeUndefined();
    expect(await answer("33")).toMatchObject({ distinctKinds: 3, points: 17 });
  });

  it("reads a province-wide table's models tab with a commune column, each commune's list against its typed count", async () => {
    // The common fixture's properties, with a table's tabs instead of a form's.
    await putSheet("m-table", {
      ...formSheet("Tổng hợp toàn tỉnh năm 2025", [], []),
      sheets: [
        {
          properties: { sheetId: 0, title: "Năm 2025" },
          values: [
            ["Mã xã", "Tên xã", "self_managed_model_count"],
            ["12745", "Xã Bắc Đông Quan", 6],
            ["11953", "Phường Phố Hiến", 3],
          ],
        },
        {
          properties: { sheetId: 1, title: "Mô hình 2025" },
          values: [
            ["DANH SÁCH MÔ HÌNH CÁC XÃ"],
            ["Mã xã", "Tên xã", "Loại mô hình", "Số điểm"],
            ["12745", "Xã Bắc Đông Quan", "Camera an ninh", 4],
            ["", "", "Chợ an toàn", 2],
            ["", "Phố Hiến", "Camera ANTT", 2],
            ["", "Tổng cộng", "", 8],
          ],
        },
      ],
    });
    await registerSources("unit_code,sheet,tab,layout\n33,m-table,Năm 2025,table\n");
    expect(await syncNow()).toMatchObject({ sourcesRead: 1 });
    expect(await standinStats()).toMatchObject({ "sheets.spreadsheets.get": 1 });
    expect(await answer("33")).toMatchObject({
      distinctKinds: 2,
      points: 8,
      reportingCommunes: 2,
      kinds: [
        { code: "camera_an_ninh", points: 6, communes: 2 },
        { code: "cho_an_toan", points: 2, communes: 1 },
      ],
    });
    // Phố Hiến typed 3 models and lists 2 points: said at its count's cell; Bắc Đông Quan's 6 match.
    expect((await issuesOf("11953")).map((i) => [i.cell, i.code])).toEqual([["'Năm 2025'!C3", "models_count_differs"]]);
    expect(await issuesOf("12745")).toEqual([]);
  });

  it("answers a province in at most 500 rows read and the country in at most 1,000", async () => {
    await seed([
      ["m-1", "12745", communeSheet("Xã Bắc Đông Quan", 17, BDQ)],
      ["m-2", "11953", communeSheet("Phường Phố Hiến", 15, PH)],
    ]);
    await syncNow();
    for (const [unit, kind, most] of [
      ["33", undefined, 500],
      ["33", "camera_an_ninh", 500],
      ["VN", undefined, 1000],
      ["VN", "camera_an_ninh", 1000],
    ] as const) {
      const res = await models(unit, kind);
      expect(res.status).toBe(200);
      expect(rowsRead(res), `${unit} ${kind ?? ""}`).toBeLessThanOrEqual(most);
    }
  });

  it("refuses a catalog dropping a kind communes run, names problems by line in a preview, and imports a new kind", async () => {
    await seed([["m-c", "12745", communeSheet("Xã Bắc Đông Quan", 17, BDQ)]]);
    await syncNow();
    const without = env.TEST_MODEL_TYPES_CSV.split("\n")
      .filter((l) => !l.startsWith("camera_an_ninh"))
      .join("\n");
    const refused = await postCsv("/api/admin/model-types", without);
    expect(refused.status).toBe(409);
    expect(JSON.stringify(await refused.json())).toContain("camera_an_ninh (Camera an ninh, 1 xã)");
    const checked = await postCsv(
      "/api/admin/model-types?preview=true",
      `${env.TEST_MODEL_TYPES_CSV.trimEnd()}\nBad Code,X,\n`,
    );
    expect(await checked.json()).toMatchObject({ preview: true, problems: [{ line: 24 }] });
    // A province adds the kind its communes wrote: the next sync reads every sheet again and counts it in the catalog.
    const added = `${env.TEST_MODEL_TYPES_CSV.trimEnd()}\nnha_van_hoa_an_toan,Nhà văn hóa an toàn,\n`;
    expect((await postCsv("/api/admin/model-types", added)).status).toBe(200);
    expect(await syncNow()).toMatchObject({ sourcesRead: 1 });
    expect((await answer("33")).kinds.find((k) => k.code === "nha_van_hoa_an_toan")).toMatchObject({
      label: "Nhà văn hóa an toàn",
      points: 2,
      inCatalog: true,
    });
    expect((await issuesOf("12745")).filter((i) => i.code === "models_unknown_kind")).toEqual([]);
  });
});
