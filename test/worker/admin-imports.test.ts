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

describe("a file whose header row does not fit", () => {
  beforeEach(resetDatabase);

  const previewOf = async (file: "units" | "catalog" | "sources", body: BodyInit) => {
    const res = await upload(`/api/admin/${file}?preview=true`, body);
    expect(res.status).toBe(200);
    return (await res.json()) as { preview: true; rows: number; problems: unknown[]; warnings: unknown[] };
  };
  /** The CSV with one heading of its header row replaced. */
  const renamed = (csv: string, from: string, to: string) => {
    const [head = "", ...rest] = csv.split("\n");
    return [head.replace(new RegExp(`(^|,)${from}(?=,|$)`), `$1${to}`), ...rest].join("\n");
  };
  const catalogInUse = async () => (await api("/api/admin/catalog.csv")).text();

  it("names a renamed required column once, with the heading it became, instead of a complaint on every line", async () => {
    const csv = renamed(env.TEST_CATALOG_CSV, "label_vi", "ten_chi_tieu");
    const message = "Thiếu cột label_vi (tên chỉ tiêu); tệp có cột “ten_chi_tieu” — đổi tên cột thành label_vi";
    expect(await previewOf("catalog", csv)).toEqual({
      preview: true,
      rows: 0,
      problems: [{ line: 1, message }],
      warnings: [],
    });
    const refused = await upload("/api/admin/catalog", csv);
    expect(refused.status).toBe(400);
    expect((await errorOf(refused)).message).toBe(`Tệp có 1 lỗi, chưa nhập gì: dòng 1: ${message}`);
    expect((await catalogInUse()).trim().split("\n")).toHaveLength(1);
  });

  it("says the same of a unit list from Excel as from CSV, naming every missing column and the renamed ones", async () => {
    const rows = UNITS_CSV.trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split(","))
      .map(([code = "", name = "", fullName = "", kind = "", , codeName = ""]) => [
        code,
        name,
        fullName,
        kind,
        codeName,
      ]);
    const header = ["Mã", "Tên", "full_name", "kind", "code_name"];
    const csv = [header, ...rows].map((r) => r.join(",")).join("\n");
    const fromCsv = await previewOf("units", csv);
    expect(fromCsv.problems).toEqual([
      {
        line: 1,
        message:
          "Thiếu các cột code (mã đơn vị), name (tên đơn vị) và parent_code (mã đơn vị cấp trên, để trống ở tỉnh và thành phố); " +
          "tệp có cột “Mã” — đổi tên cột thành code; tệp có cột “Tên” — đổi tên cột thành name; " +
          "dòng 1 là dòng tiêu đề của tệp: thêm cột parent_code, hoặc đổi tên cột đang có cho đúng như tệp mẫu",
      },
    ]);
    expect(await previewOf("units", xlsxWorkbook("units", [header, ...rows]))).toEqual(fromCsv);
  });

  it("takes a heading with a name that says nothing, standing where the column stands, for the renamed column", async () => {
    const { problems } = await previewOf("catalog", renamed(env.TEST_CATALOG_CSV, "label_vi", "Diễn giải"));
    expect(problems).toEqual([
      { line: 1, message: "Thiếu cột label_vi (tên chỉ tiêu); tệp có cột “Diễn giải” — đổi tên cột thành label_vi" },
    ]);
  });

  it("names a file uploaded on the wrong page for what it is", async () => {
    expect((await previewOf("units", env.TEST_CATALOG_CSV)).problems).toEqual([
      {
        line: 1,
        message: "Tệp này là danh mục chỉ tiêu, không phải danh sách đơn vị hành chính: chọn đúng tệp rồi tải lại",
      },
    ]);
    expect((await previewOf("sources", UNITS_CSV)).problems).toEqual([
      {
        line: 1,
        message: "Tệp này là danh sách đơn vị hành chính, không phải danh sách bảng tính: chọn đúng tệp rồi tải lại",
      },
    ]);
  });

  it("points to the header row when a title was typed above it, and to a column given twice", async () => {
    const titled = await previewOf("catalog", `DANH MỤC CHỈ TIÊU NĂM 2025\n\n${env.TEST_CATALOG_CSV}`);
    expect(titled.problems).toEqual([
      {
        line: 1,
        message:
          "Dòng tiêu đề cột phải là dòng đầu tiên có chữ của tệp, nhưng tệp có nó ở dòng 3: xoá các dòng phía trên dòng 3 rồi tải lại",
      },
    ]);
    const twice = await previewOf("sources", "\nunit_code,sheet,Sheet,layout\n12745,imp-a,imp-b,form\n");
    expect(twice.problems).toEqual([
      { line: 2, message: "Cột sheet có 2 lần (cột B và C): giữ một cột, xoá các cột kia rồi tải lại" },
    ]);
  });

  it("keeps optional columns optional, reads headings in any case, and warns of an optional column renamed", async () => {
    await seedReference();
    expect(await previewOf("sources", "Unit_Code,SHEET\n12745,imp-a\n")).toEqual({
      preview: true,
      rows: 1,
      problems: [],
      warnings: [],
    });
    const minimal = "code,name,kind,parent_code\n33,Hưng Yên,province,\n12745,Bắc Đông Quan,commune,33\n";
    expect(await previewOf("units", minimal)).toMatchObject({ rows: 2, problems: [], warnings: [] });
    const unread = renamed(env.TEST_CATALOG_CSV, "required", "bắt buộc");
    const warning = {
      line: 1,
      message:
        "cột “bắt buộc” không được đọc: nếu đó là cột required (bắt buộc báo cáo: yes hoặc no), đổi tên cột thành required",
    };
    expect(await previewOf("catalog", unread)).toMatchObject({ rows: 34, problems: [], warnings: [warning] });
    const imported = await upload("/api/admin/catalog", unread);
    expect(await imported.json()).toEqual({ preview: false, imported: 34, warnings: [warning] });
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
      // The statistics year ends on 14/12 (REPORTING_YEAR_END): Q3's data run to 14/9, the year's to 14/12.
      { code: "2025-Q3", deadline: null, defaultDeadline: "2025-09-29T16:59:59.999Z" },
      { code: "2025", deadline: "2026-01-20T16:59:59.999Z", defaultDeadline: "2025-12-29T16:59:59.999Z" },
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
