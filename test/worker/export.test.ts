import { beforeEach, describe, expect, it } from "vitest";
import { api, formSheet, putSheet, registerSources, resetDatabase, seedReference, syncNow } from "./helpers";

/** Parses CSV as a spreadsheet would: quoted fields, doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\n") {
      row.push(cell.replace(/\r$/, ""));
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

describe("CSV export for Excel", () => {
  beforeEach(async () => {
    await resetDatabase();
    // A unit name that a spreadsheet would take for a formula.
    await seedReference(
      `code,name,full_name,kind,parent_code,code_name
33,Hưng Yên,Tỉnh Hưng Yên,province,,hung_yen
12745,Bắc Đông Quan,Xã Bắc Đông Quan,commune,33,bac_dong_quan
11953,"=HYPERLINK(""http://x"")","=HYPERLINK(""http://x"")",ward,33,pho_hien
11980,Hồng Châu,"Phường Hồng Châu, mới",ward,33,hong_chau
`,
    );
    await putSheet(
      "ex-bdq",
      formSheet(
        "Xã Bắc Đông Quan",
        ["Năm 2025"],
        [
          ["security_team_count", "Số tổ", "khoảng 12"],
          ["residential_area_total", "Tổng số khu dân cư", 8],
          ["residential_area_safe", "Số khu dân cư an toàn", 6],
          ["explosives_kg", "Vật liệu nổ", "2,5"],
        ],
      ),
    );
    await putSheet("ex-ph", formSheet("Phường Phố Hiến", ["Năm 2025"], [["security_team_count", "Số tổ", 17]]));
    await registerSources("unit_code,sheet,tab,layout\n12745,ex-bdq,,form\n11953,ex-ph,,form\n");
    await syncNow();
  });

  it("has a BOM, Vietnamese headings and one row per commune, including those that did not report", async () => {
    const res = await api("/api/export.csv?unit=33&period=2025");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toContain(".csv");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(new TextDecoder().decode(bytes.slice(3)));
    const [head, ...body] = rows;
    expect(head!.slice(0, 4)).toEqual(["Mã đơn vị", "Tên đơn vị", "Trực thuộc", "Tình trạng"]);
    const col = (label: string) => head!.findIndex((h) => h.startsWith(label));
    expect(body).toHaveLength(3);
    const byCode = Object.fromEntries(body.map((r) => [r[0], r]));
    const bdq = byCode["12745"]!;
    expect(bdq[col("Số tổ bảo vệ an ninh trật tự ở cơ sở")]).toBe("12");
    expect(bdq[col("Khối lượng vật liệu nổ")]).toBe("2.5");
    expect(bdq[col("Tỷ lệ khu dân cư")]).toBe("75");
    expect(bdq[3]).toBe("Đã báo cáo");
    expect(bdq.at(-1)).toContain("Số tổ bảo vệ an ninh trật tự ở cơ sở");
    const missing = byCode["11980"]!;
    expect(missing[1]).toBe("Phường Hồng Châu, mới");
    expect(missing[3]).toBe("Chưa báo cáo");
    expect(missing[col("Số tổ bảo vệ an ninh trật tự ở cơ sở")]).toBe("");
  });

  it("neutralises cells that a spreadsheet would run as formulas", async () => {
    const text = await (await api("/api/export.csv?unit=33&period=2025")).text();
    const rows = parseCsv(text.replace(/^\uFEFF/, ""));
    const cells = rows.flat();
    expect(cells.some((c) => /^[=+\-@]/.test(c))).toBe(false);
    expect(cells).toContain(`'=HYPERLINK("http://x")`);
  });

  it("offers the same table as an .xlsx workbook that keeps numbers as numbers", async () => {
    const res = await api("/api/export.xlsx?unit=33&period=2025");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
    // Entries are stored uncompressed: the sheet's XML can be read straight from the archive.
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain("[Content_Types].xml");
    expect(text).toContain("xl/worksheets/sheet1.xml");
    const rows = [...text.matchAll(/<row r="(\d+)">(.*?)<\/row>/g)];
    expect(rows).toHaveLength(4);
    const bdq = rows.find((r) => r[2]!.includes("Xã Bắc Đông Quan"))!;
    expect(bdq[2]).toMatch(
      new RegExp(`<c r="B${bdq[1]}" t="inlineStr"><is><t xml:space="preserve">Xã Bắc Đông Quan</t></is></c>`),
    );
    expect(bdq[2]).toMatch(new RegExp(`<c r="[A-Z]+${bdq[1]}"><v>12</v></c>`));
    expect(text).toContain("=HYPERLINK(&quot;http://x&quot;)</t>");
  });
});
