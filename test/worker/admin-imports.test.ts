/**
 * Reference files uploaded by an administrator (units, catalog, sources) as CSV or Excel: a preview lists every
 * problem at the line a person sees in the file and saves nothing; an import with a problem is refused whole.
 */
import { env } from "cloudflare:workers";
import { assert, beforeEach, describe, expect, it } from "vitest";
import { xlsxWorkbook } from "../../worker/aggregate/xlsx";
import { api, client, errorOf, formSheet, ok, putSheet, resetDatabase, seedReference, UNITS_CSV } from "./helpers";

const upload = (path: string, body: BodyInit) => api(path, { method: "POST", body });
const excelFixture = () => Uint8Array.from(atob(env.TEST_SOURCES_XLSX), (c) => c.charCodeAt(0));
const registered = async () =>
  (await ok(client.sources.$get({ query: { unit: "33" } }))).sources.map((s) => s.spreadsheetId);

describe("a sources file", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedReference();
  });

  it("names the lines a person sees, blank lines and line breaks inside quotes counted", async () => {
    const csv = [
      "unit_code,sheet,tab,layout", // 1
      "", // 2
      "12745,imp-a,,form", // 3
      '11980,imp-b,"Biểu', // 4
      'tháng",form', // 5
      "", // 6
      "99999,imp-c,,form", // 7
      "11983,imp-d,,bảng", // 8
    ].join("\r\n");
    const preview = await upload("/api/admin/sources?preview=true", csv);
    expect(preview.status).toBe(200);
    expect(await preview.json()).toEqual({
      preview: true,
      rows: 3,
      problems: [
        { line: 7, message: "Mã đơn vị 99999 không có trong danh sách đơn vị" },
        { line: 8, message: expect.stringContaining("Kiểu biểu “bảng” không hợp lệ") },
      ],
      warnings: [],
    });
    expect(await registered()).toEqual([]);

    const refused = await upload("/api/admin/sources", csv);
    expect(refused.status).toBe(400);
    expect((await errorOf(refused)).message).toMatch(/^Tệp có 2 lỗi, chưa nhập gì: dòng 7: .*; dòng 8: /);
    expect(await registered()).toEqual([]);
  });

  it("from Excel: shared and rich-text strings, numbers, rows left out, the first sheet by its relationship", async () => {
    const preview = await upload("/api/admin/sources?preview=true", excelFixture());
    expect(await preview.json()).toEqual({
      preview: true,
      rows: 2,
      problems: [
        { line: 4, message: "Mã đơn vị 99999 không có trong danh sách đơn vị" },
        { line: 5, message: "“không phải đường dẫn” không phải đường dẫn hay mã Google Sheets" },
      ],
      warnings: [],
    });
    expect((await upload("/api/admin/sources", excelFixture())).status).toBe(400);
    expect(await registered()).toEqual([]);
  });

  it("from Excel without problems is imported and its sheets read like any other", async () => {
    await putSheet("imp-xl", formSheet("Xã Bắc Đông Quan", ["Năm 2025"], [["security_team_count", "Số tổ", 7]]));
    const book = xlsxWorkbook("sources", [
      ["unit_code", "sheet", "tab", "layout"],
      [12745, "https://docs.google.com/spreadsheets/d/imp-xl/edit#gid=0", null, "form"],
    ]);
    const res = await upload("/api/admin/sources", book);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ preview: false, imported: 1 });
    expect(await registered()).toEqual(["imp-xl"]);
  });

  it("takes its header from the first line with something in it, and names a quote left open", async () => {
    const late = await ok(
      client.admin.sources.$post(
        { query: { preview: "true" } },
        { init: { body: "\n\nunit_code,sheet,tab,layout\n99999,imp-z,,form\n" } },
      ),
    );
    assert(late.preview, "a preview");
    expect(late.problems).toEqual([{ line: 4, message: "Mã đơn vị 99999 không có trong danh sách đơn vị" }]);
    const open = await upload(
      "/api/admin/sources?preview=true",
      'unit_code,sheet,tab,layout\n12745,"imp-a,,form\n11980,imp-b,,form\n',
    );
    expect(open.status).toBe(400);
    expect((await errorOf(open)).message).toMatch(/^Dòng 2: dấu ngoặc kép \("\) mở mà không đóng/);
  });

  it("that is neither UTF-8 text nor a workbook gets told how to save it", async () => {
    const latin1 = Uint8Array.from([...'unit_code,sheet\n12745,"Bi\xeau"\n'].map((c) => c.charCodeAt(0)));
    const res = await upload("/api/admin/sources?preview=true", latin1);
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toContain("CSV UTF-8");
    const broken = excelFixture().slice(0, 600);
    const bad = await upload("/api/admin/sources?preview=true", broken);
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).message).toContain("Tệp Excel bị hỏng");
  });
});

describe("a units or catalog file", () => {
  beforeEach(resetDatabase);

  it("previews a unit list's problems by line and saves nothing", async () => {
    const csv = `${UNITS_CSV.trimEnd()}\n\n12745,Trùng,Xã Trùng,commune,33,trung\n12800,Lạc,Xã Lạc,commune,77,lac\n`;
    const preview = await ok(
      client.admin.units.$post({ query: { validFrom: "2025-07-01", preview: "true" } }, { init: { body: csv } }),
    );
    assert(preview.preview, "a preview");
    expect(preview.problems).toEqual([
      { line: 9, message: "Mã đơn vị 12745 bị trùng" },
      { line: 10, message: "Đơn vị 12800 có mã cấp trên 77 không có trong danh sách" },
    ]);
    expect((await ok(client.admin.units.$get({ query: { unit: "VN" } }))).units).toEqual([]);
  });

  it("imports a unit list only with the date it takes effect, said beside that field", async () => {
    const res = await api("/api/admin/units", { method: "POST", body: UNITS_CSV });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ field: "validFrom" });
    expect((await ok(client.admin.units.$get({ query: { unit: "VN" } }))).units).toEqual([]);
  });

  it("previews a catalog that would drop a reported figure as a problem of the whole file", async () => {
    await seedReference();
    await putSheet("imp-cat", formSheet("Xã Bắc Đông Quan", ["Năm 2025"], [["security_team_count", "Số tổ", 12]]));
    await client.admin.sources.register.$post({
      json: { sheet: "imp-cat", unitCode: "12745", layout: "form", tab: null },
    });
    const without = env.TEST_CATALOG_CSV.split("\n")
      .filter((l) => !l.startsWith("security_team_count,"))
      .join("\n");
    const preview = await ok(client.admin.catalog.$post({ query: { preview: "true" } }, { init: { body: without } }));
    assert(preview.preview, "a preview");
    expect(preview.problems).toEqual([
      {
        line: null,
        message: expect.stringMatching(/^Danh mục mới bỏ 1 chỉ tiêu bắt buộc đã có số liệu: security_team_count/),
      },
    ]);
    expect(preview.rows).toBeGreaterThan(30);
  });
});

describe("deadlines and conference syncs as the pages show them", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedReference();
  });

  it("lists each period with the deadline set and the default one", async () => {
    await client.admin.periods[":code"].$put({ param: { code: "2025" }, json: { deadline: "2026-01-20" } });
    await client.admin.periods[":code"].$put({ param: { code: "2025-Q3" }, json: { deadline: null } });
    const { periods } = await (await client.admin.periods.$get()).json();
    expect(periods).toEqual([
      { code: "2025-Q3", deadline: null, defaultDeadline: "2025-10-15T16:59:59.999Z" },
      { code: "2025", deadline: "2026-01-20T16:59:59.999Z", defaultDeadline: "2026-01-15T16:59:59.999Z" },
    ]);
  });

  it("says when a conference's scheduled syncs run", async () => {
    const res = await client.admin.conferences.$post({
      json: { unitCode: "33", period: "2025", title: "Sơ kết", startsAt: "2026-12-10T08:00:00+07:00", windowHours: 48 },
    });
    const { conference } = await res.json();
    expect(conference.syncs).toEqual({
      from: "2026-12-08T01:00:00.000Z",
      until: "2026-12-10T01:00:00.000Z",
      everyMinutes: 15,
    });
  });
});
