/**
 * The report as the office files it (PRODUCT.md §13), read back as Word XML the way a clerk's Word would lay it out:
 * the page, the fonts, the heading of Nghị định 30, the speech and tables exactly as /api/report says them, the
 * letterhead a province's admin sets, and the province's own template filled — loop, split placeholders and all.
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { bearer, callWorker, createApiToken, productionEnv } from "./access-helpers";
import {
  api,
  client,
  errorOf,
  formSheet,
  ok,
  postCsv,
  putSheet,
  registerSources,
  resetDatabase,
  seedReference,
  syncNow,
  UNITS_CSV,
} from "./helpers";
import { para, paragraphsOf, splitPara, wordFile, wordParts } from "./word";

const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const UNITS = `${UNITS_CSV}98,Lâm Giang,Tỉnh Lâm Giang,province,,lam_giang\n98001,Tân An,Phường Tân An,ward,98,tan_an\n`;

async function docx(path: string): Promise<Record<string, string>> {
  const res = await api(path);
  if (res.status !== 200) throw new Error(`${path} → ${res.status} ${await res.text()}`);
  expect(res.headers.get("content-type")).toBe(DOCX);
  return wordParts(await res.arrayBuffer());
}

const putTemplate = (unit: string, file: Uint8Array, init: RequestInit = {}) =>
  api(`/api/admin/report-template?unit=${unit}&name=${encodeURIComponent("Đề cương Hưng Yên.docx")}`, {
    method: "PUT",
    body: file,
    ...init,
  });

const LETTERHEAD = {
  parentAgency: "Ủy ban nhân dân tỉnh Hưng Yên",
  agency: "Công an tỉnh Hưng Yên",
  placeName: "Hưng Yên",
  symbol: "CAT-PV05",
  signerAuthority: "KT. Giám đốc",
  signerTitle: "Phó Giám đốc",
  signerName: "Nguyễn Văn An",
  recipients: ["Bộ Công an (V05);", "UBND tỉnh;", "Lưu: VT, PV05."],
};

beforeEach(async () => {
  await resetDatabase();
  await seedReference(UNITS);
  await putSheet(
    "docx-bdq",
    formSheet(
      "Xã Bắc Đông Quan",
      ["Năm 2024", "Năm 2025"],
      [
        ["security_team_count", "Số tổ", 2000, 2012],
        ["security_team_members", "Số thành viên", 7000, 7230],
        ["residential_area_total", "Tổng số khu dân cư", 40, 41],
        ["residential_area_safe", "Số khu dân cư an toàn", 36, 39],
        ["commune_safe", "Xã đạt tiêu chuẩn an toàn", 1, 1],
      ],
    ),
  );
  await putSheet(
    "docx-ph",
    formSheet(
      "Phường Phố Hiến",
      ["Năm 2024", "Năm 2025"],
      [
        ["security_team_count", "Số tổ", 2800, 3000],
        ["security_team_members", "Số thành viên", 7900, 8000],
        ["advanced_example_count", "Số điển hình tiên tiến", "", "hơn 70"],
        ["commune_safe", "Xã đạt tiêu chuẩn an toàn", 0, 0],
      ],
    ),
  );
  await registerSources("unit_code,sheet,tab,layout\n12745,docx-bdq,,form\n11953,docx-ph,,form\n");
  await syncNow();
});

describe("the built-in document", () => {
  it("is an A4 page in Nghị định 30's form: margins, Times New Roman, heading, page numbers from page 2", async () => {
    const res = await api("/api/report.docx?unit=33&period=2025");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(DOCX);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="bao-cao-33-2025\.docx"/);
    expect(decodeURIComponent(res.headers.get("content-disposition") ?? "")).toContain(
      "Báo cáo Tỉnh Hưng Yên năm 2025.docx",
    );
    const parts = wordParts(await res.arrayBuffer());
    const doc = parts["word/document.xml"] ?? "";

    // A4 portrait; top and bottom 20 mm, left 30 mm, right 15 mm (1 mm = 56.7 twips).
    expect(doc).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    const margin = /<w:pgMar ([^>]*)\/>/.exec(doc)?.[1] ?? "";
    const twips = (side: string) => Number(new RegExp(`w:${side}="(\\d+)"`).exec(margin)?.[1]);
    for (const [side, [min, max]] of Object.entries({
      top: [20, 25],
      bottom: [20, 25],
      left: [30, 35],
      right: [15, 20],
    }) as [string, [number, number]][]) {
      expect(twips(side) / 56.6929, side).toBeGreaterThanOrEqual(min - 0.01);
      expect(twips(side) / 56.6929, side).toBeLessThanOrEqual(max + 0.01);
    }

    // Times New Roman throughout: in the defaults and on every run; the body at 14 pt.
    expect(parts["word/styles.xml"]).toMatch(
      /<w:docDefaults>[\s\S]*w:ascii="Times New Roman"[\s\S]*<w:sz w:val="28"\/>/,
    );
    const runs = [...doc.matchAll(/<w:r>([\s\S]*?)<\/w:r>/g)].map((m) => m[1] ?? "");
    expect(runs.length).toBeGreaterThan(50);
    for (const r of runs) expect(r).toContain('w:ascii="Times New Roman"');

    // The heading: agencies (dotted until set), number, national title, motto, place and date; then the title.
    const text = paragraphsOf(doc);
    expect(text).toContain("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    expect(text).toContain("Độc lập - Tự do - Hạnh phúc");
    expect(text).toContain("Số: ……/BC-……");
    expect(text.some((p) => /^……………………, ngày \d{2} tháng \d{1,2} năm \d{4}$/.test(p))).toBe(true);
    const title = text.indexOf("BÁO CÁO");
    expect(title).toBeGreaterThan(text.indexOf("Độc lập - Tự do - Hạnh phúc"));
    expect(text[title + 1]).toBe("Kết quả phong trào “Toàn dân bảo vệ an ninh Tổ quốc” năm 2025");
    // The movement's statistics year: 15/12 to 14/12 (REPORTING_YEAR_END unset).
    expect(text).toContain("Số liệu tính từ ngày 15/12/2024 đến ngày 14/12/2025");
    const motto = /<w:p>(?:(?!<\/w:p>)[\s\S])*CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/.exec(doc)?.[0] ?? "";
    expect(motto).toContain("<w:b/>");
    expect(motto).toMatch(/<w:sz w:val="2[46]"\/>/);
    // “Nơi nhận:” bold italic 12 pt, its list 11 pt, ending with the archive line; the signature's blanks.
    const received = /<w:r>(?:(?!<\/w:r>)[\s\S])*Nơi nhận:<\/w:t><\/w:r>/.exec(doc)?.[0] ?? "";
    expect(received).toMatch(/<w:b\/>[\s\S]*<w:i\/>[\s\S]*<w:sz w:val="24"\/>/);
    const archive = text.indexOf("- Lưu: VT, …….");
    expect(archive).toBeGreaterThan(text.indexOf("Nơi nhận:"));
    expect(/<w:r>(?:(?!<\/w:r>)[\s\S])*- Lưu: VT, …….<\/w:t><\/w:r>/.exec(doc)?.[0]).toContain('<w:sz w:val="22"/>');

    // Page numbers: a different first page with an empty header; the other pages' header holds the PAGE field.
    expect(doc).toContain("<w:titlePg/>");
    const first = /<w:headerReference w:type="first" r:id="(rId\d+)"\/>/.exec(doc)?.[1];
    const other = /<w:headerReference w:type="default" r:id="(rId\d+)"\/>/.exec(doc)?.[1];
    const rels = parts["word/_rels/document.xml.rels"] ?? "";
    const target = (id: string | undefined) => new RegExp(`Id="${id}"[^>]*Target="([^"]+)"`).exec(rels)?.[1];
    expect(parts[`word/${target(other)}`]).toMatch(/<w:instrText[^>]*>\s*PAGE\s*<\/w:instrText>/);
    expect(parts[`word/${target(first)}`]).not.toContain("PAGE");
  });

  it("says the speech and the tables exactly as /api/report gives them, heading rows repeated on each page", async () => {
    const report = await ok(client.report.$get({ query: { unit: "33", period: "2025" } }));
    const doc = (await docx("/api/report.docx?unit=33&period=2025"))["word/document.xml"] ?? "";
    const text = paragraphsOf(doc);
    // Every sentence of the speech, in its order, as a justified paragraph with its first line indented.
    const at = report.paragraphs.map((p) => text.indexOf(p));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(report.paragraphs.join(" ")).toContain("5.012 tổ bảo vệ an ninh trật tự ở cơ sở với 15.230 thành viên");
    const speech = new RegExp(`<w:p>(?:(?!</w:p>)[\\s\\S])*${report.paragraphs[1]?.slice(0, 20)}`).exec(doc)?.[0] ?? "";
    expect(speech).toContain('<w:jc w:val="both"/>');
    expect(speech).toMatch(/<w:ind w:firstLine="720"\/>/);

    // One Word table per report table (after the two of the heading and the closing), each with a heading row.
    const tables = [...doc.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/g)].map((m) => m[0]);
    expect(tables).toHaveLength(report.tables.length + 2);
    for (const [i, t] of report.tables.entries()) {
      const xml = tables[i + 1] ?? "";
      const header = /<w:tr>[\s\S]*?<\/w:tr>/.exec(xml)?.[0] ?? "";
      expect(header).toContain("<w:tblHeader/>");
      expect(paragraphsOf(header)).toEqual(t.columns.map((c) => c.title));
      const cells = paragraphsOf(xml);
      for (const row of t.sections.flatMap((s) => s.rows)) {
        const first = cells.indexOf(row[0] ?? "");
        expect(first, row[0]).toBeGreaterThan(0);
        expect(cells.slice(first, first + row.length)).toEqual(row);
      }
      for (const s of t.sections) if (s.title) expect(cells).toContain(s.title);
      // A group's title row keeps with its first row, so no printed page ends on a title.
      const titleRows = [...xml.matchAll(/<w:tr>[\s\S]*?<\/w:tr>/g)]
        .map((m) => m[0])
        .filter((r) => t.sections.some((s) => s.title && paragraphsOf(r).join("") === s.title));
      expect(titleRows).toHaveLength(t.sections.filter((s) => s.title).length);
      for (const r of titleRows) expect(r).toContain("<w:keepNext/>");
      expect(text).toContain(`Biểu ${i + 1}. ${t.title}`);
    }
    const teams = report.tables[0]?.sections[0]?.rows[0];
    expect(teams?.slice(0, 3)).toEqual(["Số tổ bảo vệ an ninh trật tự ở cơ sở", "tổ", "5.012"]);
  });

  it("carries the letterhead the province's admin set, and refuses a unit that is not a province", async () => {
    const saved = await api("/api/admin/report-settings?unit=33", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(LETTERHEAD),
    });
    expect(saved.status).toBe(200);
    const settings = await ok(client.admin["report-settings"].$get({ query: { unit: "33" } }));
    expect(settings.letterhead).toEqual(LETTERHEAD);
    expect(settings.template).toBeNull();

    // A commune's report uses its province's letterhead.
    for (const unit of ["33", "12745"]) {
      const text = paragraphsOf((await docx(`/api/report.docx?unit=${unit}&period=2025`))["word/document.xml"] ?? "");
      expect(text).toContain("ỦY BAN NHÂN DÂN TỈNH HƯNG YÊN");
      expect(text).toContain("CÔNG AN TỈNH HƯNG YÊN");
      expect(text).toContain("Số: ……/BC-CAT-PV05");
      expect(text.some((p) => /^Hưng Yên, ngày \d{2} tháng \d{1,2} năm \d{4}$/.test(p))).toBe(true);
      expect(text).toContain("KT. GIÁM ĐỐC");
      expect(text).toContain("PHÓ GIÁM ĐỐC");
      expect(text).toContain("Nguyễn Văn An");
      const list = text.slice(text.indexOf("Nơi nhận:") + 1, text.indexOf("Nơi nhận:") + 4);
      expect(list).toEqual(["- Bộ Công an (V05);", "- UBND tỉnh;", "- Lưu: VT, PV05."]);
    }
    const commune = paragraphsOf((await docx("/api/report.docx?unit=12745&period=2025"))["word/document.xml"] ?? "");
    expect(commune).toContain(
      "Kết quả phong trào “Toàn dân bảo vệ an ninh Tổ quốc” năm 2025 trên địa bàn Xã Bắc Đông Quan",
    );

    const notProvince = await api("/api/admin/report-settings?unit=12745", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(LETTERHEAD),
    });
    expect(notProvince.status).toBe(400);
    expect((await errorOf(notProvince)).message).toContain("mã 33");
  });

  it("says an indicator a province added, with no sentence of its own, under its group", async () => {
    // The catalog's own columns, whatever optional ones it has after `headline`.
    const [header, ...lines] = env.TEST_CATALOG_CSV.trimEnd().split("\n");
    const columns = header?.split(",") ?? [];
    const row: Record<string, string> = {
      code: "volunteer_patrols",
      group: "luc_luong",
      label_vi: "Số đội tuần tra tự nguyện",
      unit_vi: "đội",
      kind: "count",
      aggregate: "sum",
      integer: "yes",
      required: "no",
      over_time: "last",
    };
    const added = [header, ...lines, columns.map((c) => row[c] ?? "").join(",")].join("\n");
    expect((await postCsv("/api/admin/catalog", added)).status).toBe(200);
    await putSheet(
      "docx-bdq",
      formSheet(
        "Xã Bắc Đông Quan",
        ["Năm 2025"],
        [
          ["security_team_count", "Số tổ", 2013],
          ["volunteer_patrols", "Số đội tuần tra tự nguyện", 17],
        ],
        { version: "2" },
      ),
    );
    await syncNow();
    const sentence = "Lực lượng bảo vệ an ninh trật tự ở cơ sở: số đội tuần tra tự nguyện: 17 đội.";
    const report = await ok(client.report.$get({ query: { unit: "33", period: "2025" } }));
    expect(report.paragraphs).toContain(sentence);
    const text = paragraphsOf((await docx("/api/report.docx?unit=33&period=2025"))["word/document.xml"] ?? "");
    expect(text).toContain(sentence);
    expect(text).toContain("Số đội tuần tra tự nguyện");
  });
});

/** A province's outline as a clerk types it in Word: figures in sentences, the commune table as a loop. */
const OUTLINE = wordFile(
  [
    para("BÁO CÁO {unit_name} – {period_label}"),
    // Word split this one where the clerk corrected a typo and bolded part of it.
    splitPara(
      "Toàn tỉnh có {security_",
      "team_count",
      "} tổ ({security_team_count_change} so với năm trước: {security_team_count_previous}).",
    ),
    para("Số xã đã báo cáo: {reported}/{expected}; tỉnh đã duyệt {accepted}. Cập nhật lúc {as_of}."),
    para("{advanced_example_count} điển hình tiên tiến; xã đạt chuẩn: {commune_safe}."),
    para("{#communes}"),
    para("{unit_code} {name}: {security_team_count} tổ, {security_team_members} thành viên"),
    para("{/communes}"),
  ].join(""),
);

describe("the province's own template", () => {
  it("is filled with the figures exactly as the summary gives them, its loop once per commune", async () => {
    const res = await putTemplate("33", OUTLINE);
    expect(res.status, await res.clone().text()).toBe(200);
    const { template } = (await res.json()) as { template: { fileName: string; bytes: number } };
    expect(template).toMatchObject({ fileName: "Đề cương Hưng Yên.docx", bytes: OUTLINE.length });

    const summary = await ok(client.summary.$get({ query: { unit: "33", period: "2025" } }));
    const teams = summary.indicators.find((i) => i.code === "security_team_count");
    expect(teams?.value).toBe(5012);
    const text = paragraphsOf((await docx("/api/report.docx?unit=33&period=2025"))["word/document.xml"] ?? "");
    expect(text).toEqual([
      "BÁO CÁO Tỉnh Hưng Yên – Năm 2025",
      // Like for like: 4.800 → 5.012 over the same two communes is +4,4%.
      "Toàn tỉnh có 5.012 tổ (tăng 4,4% so với năm trước: 4.800).",
      expect.stringMatching(
        /^Số xã đã báo cáo: 2\/5; tỉnh đã duyệt 0\. Cập nhật lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}\.$/,
      ),
      "khoảng 70 điển hình tiên tiến; xã đạt chuẩn: 1/2 xã đạt.",
      "11953 Phường Phố Hiến: 3.000 tổ, 8.000 thành viên",
      "11980 Phường Hồng Châu: — tổ, — thành viên",
      "11983 Phường Sơn Nam: — tổ, — thành viên",
      "12103 Phường Mỹ Hào: — tổ, — thành viên",
      "12745 Xã Bắc Đông Quan: 2.012 tổ, 7.230 thành viên",
    ]);

    // form=standard gives the built-in document; DELETE goes back to it for good.
    const standard = paragraphsOf(
      (await docx("/api/report.docx?unit=33&period=2025&form=standard"))["word/document.xml"] ?? "",
    );
    expect(standard).toContain("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    // A commune of the province is reported in its template too.
    const commune = paragraphsOf((await docx("/api/report.docx?unit=12745&period=2025"))["word/document.xml"] ?? "");
    expect(commune[0]).toBe("BÁO CÁO Xã Bắc Đông Quan – Năm 2025");
    expect(commune.at(-1)).toBe("12745 Xã Bắc Đông Quan: 2.012 tổ, 7.230 thành viên");

    const stored = await api("/api/admin/report-template?unit=33");
    expect(new Uint8Array(await stored.arrayBuffer())).toEqual(OUTLINE);
    expect((await api("/api/admin/report-template?unit=33", { method: "DELETE" })).status).toBe(200);
    const back = paragraphsOf((await docx("/api/report.docx?unit=33&period=2025"))["word/document.xml"] ?? "");
    expect(back).toContain("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    expect((await api("/api/admin/report-template?unit=33", { method: "DELETE" })).status).toBe(404);
  });

  it("refuses unknown placeholders and broken loops by name, a file that is not a .docx, and one over 2 MB — saving nothing", async () => {
    const refused = async (file: Uint8Array, ...names: string[]) => {
      const res = await putTemplate("33", file);
      expect(res.status).toBe(400);
      const { message } = await errorOf(res);
      for (const n of names) expect(message).toContain(n);
      return message;
    };
    const unknown = await refused(
      wordFile(
        para("{security_team_count} {so_to_bao_ve}") +
          splitPara("{ten_", "tinh}") +
          para("{#communes}{name} {ma_xa}{/communes}"),
      ),
      "{so_to_bao_ve}",
      "{ten_tinh}",
      "{ma_xa}",
    );
    expect(unknown).toMatch(/^Mẫu báo cáo chưa dùng được, chưa lưu gì: /);
    await refused(wordFile(para("{#communes}") + para("{name}")), "{#communes}", "{/communes}");
    await refused(wordFile(para("{#communes}{name}{/xa}")), "{#communes}", "{/xa}");
    await refused(wordFile(para("Tổng số tổ: {security_team_count")), "security_team_count");
    expect(await refused(new TextEncoder().encode("Tổng số tổ: {security_team_count}"))).toContain(".docx");
    // Over 2 MB: a real .docx padded with a large part.
    const big = new Uint8Array(2 * 1024 * 1024 + 1);
    big.set(OUTLINE);
    expect(await refused(big)).toContain("2 MB");
    const settings = await ok(client.admin["report-settings"].$get({ query: { unit: "33" } }));
    expect(settings.template).toBeNull();
    const text = paragraphsOf((await docx("/api/report.docx?unit=33&period=2025"))["word/document.xml"] ?? "");
    expect(text).toContain("BÁO CÁO");
  });

  it("repeats a table row once per commune when the loop opens in its first cell and closes in its last", async () => {
    const cell = (t: string) => `<w:tc><w:p><w:r><w:t xml:space="preserve">${t}</w:t></w:r></w:p></w:tc>`;
    const row = (...cells: string[]) => `<w:tr>${cells.map(cell).join("")}</w:tr>`;
    const table = `<w:tbl>${row("Xã", "Số tổ")}${row("{#communes}{name}", "{security_team_count}{/communes}")}</w:tbl>`;
    expect((await putTemplate("33", wordFile(para("{unit_name}") + table))).status).toBe(200);
    const doc = (await docx("/api/report.docx?unit=33&period=2025"))["word/document.xml"] ?? "";
    const rows = [...doc.matchAll(/<w:tr>[\s\S]*?<\/w:tr>/g)].map((m) => paragraphsOf(m[0]));
    expect(rows).toEqual([
      ["Xã", "Số tổ"],
      ["Phường Phố Hiến", "3.000"],
      ["Phường Hồng Châu", "—"],
      ["Phường Sơn Nam", "—"],
      ["Phường Mỹ Hào", "—"],
      ["Xã Bắc Đông Quan", "2.012"],
    ]);
  });

  it("fills a frozen conference's figures, communes' included, while the live document moves on", async () => {
    const { conference } = await ok(
      client.admin.conferences.$post({
        json: {
          unitCode: "33",
          period: "2025",
          comparePeriod: "2024",
          title: "Tổng kết",
          startsAt: "2027-12-01T01:00:00Z",
        },
      }),
    );
    await ok(client.admin.conferences[":id"].freeze.$post({ param: { id: String(conference.id) } }));
    await putSheet(
      "docx-bdq",
      formSheet(
        "Xã Bắc Đông Quan",
        ["Năm 2025"],
        [
          ["security_team_count", "Số tổ", 2100],
          ["security_team_members", "Số thành viên", 7300],
        ],
        { version: "2" },
      ),
    );
    await syncNow();
    expect((await putTemplate("33", OUTLINE)).status).toBe(200);
    const at = async (query: string) =>
      paragraphsOf((await docx(`/api/report.docx?unit=33&period=2025${query}`))["word/document.xml"] ?? "");
    const frozen = await at(`&conference=${conference.id}`);
    expect(frozen[1]).toMatch(/^Toàn tỉnh có 5\.012 tổ /);
    expect(frozen.at(-1)).toBe("12745 Xã Bắc Đông Quan: 2.012 tổ, 7.230 thành viên");
    const live = await at("");
    expect(live[1]).toMatch(/^Toàn tỉnh có 5\.100 tổ /);
    expect(live.at(-1)).toBe("12745 Xã Bắc Đông Quan: 2.100 tổ, 7.300 thành viên");
    // The standard form of the conference says the frozen speech too.
    const speech = await ok(
      client.report.$get({ query: { unit: "33", period: "2025", conference: String(conference.id) } }),
    );
    const standard = await at(`&conference=${conference.id}&form=standard`);
    for (const p of speech.paragraphs) expect(standard).toContain(p);
  });

  it("keeps a template of several D1 parts whole", async () => {
    // A template of about 1.6 MB (an incompressible image part), stored in more than one part.
    const noise = new Uint8Array(1_200_000);
    for (let i = 0; i < noise.length; i += 65536) crypto.getRandomValues(noise.subarray(i, i + 65536));
    const { default: PizZip } = await import("pizzip");
    const zip = new PizZip(OUTLINE);
    zip.file("word/media/logo.bin", noise, { binary: true });
    const file = zip.generate({ type: "uint8array", compression: "STORE" });
    expect(file.length).toBeGreaterThan(1_000_000);
    expect((await putTemplate("33", file)).status).toBe(200);
    const stored = new Uint8Array(await (await api("/api/admin/report-template?unit=33")).arrayBuffer());
    expect(stored).toEqual(file);
    const text = paragraphsOf((await docx("/api/report.docx?unit=33&period=2025"))["word/document.xml"] ?? "");
    expect(text[0]).toBe("BÁO CÁO Tỉnh Hưng Yên – Năm 2025");
  });
});

describe("who may", () => {
  it("read the document as they read the report, and set the province's only as its admin", async () => {
    const secret = async (role: "admin" | "leader" | "commune", scope: string | null) =>
      (await createApiToken(role, scope)).secret;
    const [admin, admin33, leader33, commune] = [
      await secret("admin", null),
      await secret("admin", "33"),
      await secret("leader", "33"),
      await secret("commune", "12745"),
    ];
    const as = (s: string, path: string, init: RequestInit = {}) =>
      callWorker(productionEnv(), path, { ...init, headers: { ...(init.headers as object), ...bearer(s) } });
    const doc = (unit: string) => `/api/report.docx?unit=${unit}&period=2025`;

    expect((await as(leader33, doc("33"))).status).toBe(200);
    expect((await as(leader33, doc("98"))).status).toBe(403);
    expect((await as(commune, doc("12745"))).status).toBe(200);
    expect((await as(commune, doc("33"))).status).toBe(403);

    const put = (s: string, unit: string) =>
      as(s, `/api/admin/report-template?unit=${unit}`, { method: "PUT", body: OUTLINE });
    expect((await put(leader33, "33")).status).toBe(403);
    expect((await put(commune, "33")).status).toBe(403);
    expect((await put(admin33, "98")).status).toBe(403);
    expect((await put(admin33, "33")).status).toBe(200);
    expect((await put(admin, "98")).status).toBe(200);
    const settings = (s: string, unit: string) => as(s, `/api/admin/report-settings?unit=${unit}`);
    expect((await settings(leader33, "33")).status).toBe(403);
    expect((await settings(admin33, "98")).status).toBe(403);
    expect((await settings(admin33, "33")).status).toBe(200);
    // The leader reads the province's template filled; the commune its own commune's.
    const filled = wordParts(await (await as(leader33, doc("33"))).arrayBuffer());
    expect(paragraphsOf(filled["word/document.xml"] ?? "")[0]).toBe("BÁO CÁO Tỉnh Hưng Yên – Năm 2025");
  });
});
