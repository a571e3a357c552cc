/**
 * The check results written back into the communes' own sheets (SHEETS_FEEDBACK): a tab “Kiểm tra số liệu” with
 * every issue at its cell, or “Không có lỗi”; only where the service account may edit; never at the cost of the read;
 * the Worker's own write does not count as a change.
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { parseCatalog } from "../../worker/reference/catalog";
import { csvRecords } from "../../worker/reference/table";
import { runSync } from "../../worker/sync/run";
import { feedbackTab, sections, syncWithFeedback, withFeedback } from "./feedback-helpers";
import {
  client,
  type Fixture,
  formSheet,
  ok,
  putSheet,
  registerSources,
  resetDatabase,
  resetStandinStats,
  seedReference,
  standinStats,
} from "./helpers";

const sync = syncWithFeedback;
const SERVICE_ACCOUNT = JSON.parse(env.GOOGLE_SERVICE_ACCOUNT!).client_email as string;

const sources = async () =>
  Object.fromEntries(
    (await ok(client.sources.$get({ query: { unit: "33" } }))).sources.map((s) => [s.spreadsheetId, s.feedback]),
  );

const writer = (f: Fixture): Fixture => ({ ...f, serviceAccount: "writer" });

/** The given cells, then every other required indicator at a plausible figure: nothing to warn about but what is given. */
const PLAUSIBLE: Record<string, number> = {
  security_team_members: 100,
  residential_area_total: 20,
  residential_area_safe: 18,
};
function complete(...given: [code: string, label: string, cell: unknown][]): [string, string, unknown][] {
  const required = parseCatalog(csvRecords(env.TEST_CATALOG_CSV)).rows.filter((i) => i.required);
  const codes = new Set(given.map(([code]) => code));
  return [
    ...given,
    ...required
      .filter((i) => !codes.has(i.code))
      .map((i): [string, string, unknown] => [i.code, i.label, PLAUSIBLE[i.code] ?? 1]),
  ];
}

describe("check results written back into the sheets", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedReference();
    await putSheet(
      "fb-typo",
      writer(
        formSheet(
          "Xã Bắc Đông Quan",
          ["Năm 2025"],
          complete(["security_team_count", "Số tổ bảo vệ ANTT", "3,5"], ["security_team_members", "Số thành viên", 40]),
        ),
      ),
    );
    await putSheet(
      "fb-clean",
      writer(formSheet("Phường Hồng Châu", ["Năm 2025"], complete(["security_team_count", "Số tổ", 9]))),
    );
    await putSheet("fb-reader", formSheet("Phường Sơn Nam", ["Năm 2025"], [["security_team_count", "Số tổ", "x"]]));
    await registerSources(
      "unit_code,sheet,tab,layout\n12745,fb-typo,,form\n11980,fb-clean,,form\n11983,fb-reader,,form\n",
    );
  });

  it("lists every issue at its cell with what to do, says “Không có lỗi” on a clean sheet, and touches no reader's", async () => {
    expect(await sync()).toMatchObject({ sourcesRead: 3, sourcesFailed: 0 });
    const typo = await feedbackTab("fb-typo");
    expect(typo?.[0]?.[0]).toMatch(/^Kết quả kiểm tra số liệu/);
    expect(typo?.[1]?.[0]).toMatch(/^Kiểm tra lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} \(giờ Việt Nam\)$/);
    const received = complete().length;
    expect(typo?.[2]).toEqual([`Đã nhận ${received - 1} chỉ tiêu · 1 lỗi cần sửa`]);
    // The period's state first: this sheet has no “Chốt số liệu” row yet.
    expect(sections(typo).states).toEqual([
      "Năm 2025: Chưa chốt — để chốt số liệu từ bảng tính, thêm dòng “Chốt số liệu” (ô đánh dấu ở cột của kỳ)",
    ]);
    expect(sections(typo).checks).toEqual([
      ["Ô", "Chỉ tiêu", "Đã nhập", "Vấn đề", "Cách sửa"],
      [
        "'Năm 2025'!E4",
        "Số tổ bảo vệ an ninh trật tự ở cơ sở",
        "3,5",
        "‘3,5’ không phải số nguyên",
        "Nhập số nguyên, ví dụ 3",
      ],
    ]);
    const clean = await feedbackTab("fb-clean");
    expect(clean?.[2]).toEqual([`Đã nhận ${received} chỉ tiêu · 0 lỗi cần sửa`]);
    expect(sections(clean).checks[0]).toEqual(["Không có lỗi. Số liệu của bảng tính đã được ghi nhận."]);
    expect(await feedbackTab("fb-reader")).toBeNull();

    const feedback = await sources();
    expect(feedback["fb-typo"]).toMatchObject({ status: "written" });
    expect(feedback["fb-reader"]).toMatchObject({ status: "read_only" });
    expect(feedback["fb-reader"]!.message).toContain(`chỉ chia sẻ quyền “Người xem” cho ${SERVICE_ACCOUNT}`);
    // The figures are what the sheets say, feedback or not.
    const summary = await ok(client.summary.$get({ query: { unit: "33", period: "2025" } }));
    // 40 in the sheet with the typo, 100 in the clean one; the reader's sheet reports no members.
    expect(summary.indicators.find((i) => i.code === "security_team_members")!.value).toBe(140);
  });

  it("does not take its own write for a clerk's edit: an unchanged re-sync reads no values and writes nothing", async () => {
    await sync();
    await resetStandinStats();
    expect(await sync()).toMatchObject({ sourcesRead: 0, sourcesSkipped: 3 });
    const stats = await standinStats();
    expect(stats["sheets.values.batchGet"]).toBeUndefined();
    expect(stats["sheets.spreadsheets.batchUpdate"]).toBeUndefined();

    // The clerk fixes the cell: read again, and the tab says so.
    await putSheet(
      "fb-typo",
      writer({
        ...formSheet("Xã Bắc Đông Quan", ["Năm 2025"], complete(["security_team_count", "Số tổ bảo vệ ANTT", 3])),
        version: "2",
      }),
    );
    expect(await sync()).toMatchObject({ sourcesRead: 1, sourcesSkipped: 2 });
    expect(sections(await feedbackTab("fb-typo")).checks[0]).toEqual([
      "Không có lỗi. Số liệu của bảng tính đã được ghi nhận.",
    ]);
  });

  it("keeps the figures when the write fails, says so on the source, and writes at the next sync", async () => {
    const failing = writer({
      ...formSheet("Xã Bắc Đông Quan", ["Năm 2025"], complete(["security_team_count", "Số tổ", 12])),
      faults: Array(5).fill({ status: 503, api: "sheets", call: "spreadsheets.batchUpdate" }),
    });
    await putSheet("fb-typo", failing);
    expect(await sync()).toMatchObject({ sourcesRead: 3, sourcesFailed: 0 });
    const summary = await ok(client.summary.$get({ query: { unit: "33", period: "2025" } }));
    expect(summary.indicators.find((i) => i.code === "security_team_count")!.value).toBe(21);
    const feedback = await sources();
    expect(feedback["fb-typo"]).toMatchObject({ status: "failed" });
    expect(feedback["fb-typo"]!.message).toMatch(/^Chưa ghi được kết quả kiểm tra vào bảng tính/);
    expect(await feedbackTab("fb-typo")).toBeNull();

    expect(await sync()).toMatchObject({ sourcesRead: 1, sourcesSkipped: 2 });
    expect((await sources())["fb-typo"]).toMatchObject({ status: "written" });
    expect(sections(await feedbackTab("fb-typo")).checks[0]).toEqual([
      "Không có lỗi. Số liệu của bảng tính đã được ghi nhận.",
    ]);
  });

  it("never takes a clerk's edit made while it was writing for its own: the next sync reads it", async () => {
    let driveCalls = 0;
    const clerkEditsMidway: typeof fetch = async (input, init) => {
      // The second Drive look at the sheet is the one just before the write: the clerk saves a fix right then.
      if (String(input).includes("/drive/v3/files/fb-typo") && ++driveCalls === 2) {
        await putSheet(
          "fb-typo",
          writer({
            ...formSheet("Xã Bắc Đông Quan", ["Năm 2025"], complete(["security_team_count", "Số tổ bảo vệ ANTT", 3])),
            version: "5",
          }),
        );
      }
      return fetch(input, init);
    };
    await runSync(withFeedback, { trigger: "manual", google: { sleep: async () => {}, fetch: clerkEditsMidway } });
    expect(driveCalls).toBeGreaterThanOrEqual(2);
    expect(await sync()).toMatchObject({ sourcesRead: 1, sourcesSkipped: 2 });
    const summary = await ok(client.summary.$get({ query: { unit: "33", period: "2025" } }));
    expect(summary.indicators.find((i) => i.code === "security_team_count")!.value).toBe(3 + 9);
  });

  it("writes nothing into a spreadsheet that several sources read, and says why", async () => {
    // A second unit on the same spreadsheet, as registered before a spreadsheet could belong to one unit only.
    await env.DB.prepare(
      "INSERT INTO sources (key, unit_code, spreadsheet_id, layout, active, created_at) VALUES (?, ?, ?, 'form', 1, ?)",
    )
      .bind("11953|fb-clean|||form", "11953", "fb-clean", Date.now())
      .run();
    await sync();
    const feedback = (await ok(client.sources.$get({ query: { unit: "33" } }))).sources
      .filter((s) => s.spreadsheetId === "fb-clean")
      .map((s) => s.feedback);
    expect(feedback).toEqual([
      expect.objectContaining({ status: "skipped", message: expect.stringContaining("nhiều trang hoặc nhiều đơn vị") }),
      expect.objectContaining({ status: "skipped" }),
    ]);
    expect(await feedbackTab("fb-clean")).toBeNull();
  });

  it("says “Không có lỗi” first on a sheet with warnings only, then lists them", async () => {
    await putSheet(
      "fb-clean",
      writer(formSheet("Phường Hồng Châu", ["Năm 2025"], [["security_team_count", "Số tổ", 9]])),
    );
    await sync();
    const tab = (await feedbackTab("fb-clean"))!;
    expect(tab[2]![0]).toMatch(/^Đã nhận 1 chỉ tiêu · 0 lỗi cần sửa · \d+ cảnh báo$/);
    const { checks } = sections(tab);
    expect(checks[0]![0]).toMatch(/^Không có lỗi\. Số liệu của bảng tính đã được ghi nhận\. Có \d+ cảnh báo bên dưới/);
    expect(checks[2]).toEqual(["Ô", "Chỉ tiêu", "Đã nhập", "Vấn đề", "Cách sửa"]);
    expect(checks.length).toBeGreaterThan(3);
    expect(checks.slice(3).every((r) => r[3]?.startsWith("Cảnh báo: "))).toBe(true);
  });

  it("lists every commune's issues in a table's tab", async () => {
    await putSheet(
      "fb-table",
      writer({
        properties: { title: "Tổng hợp phong trào", locale: "vi_VN" },
        version: "1",
        sheets: [
          {
            properties: { sheetId: 0, title: "Năm 2025" },
            values: [
              ["STT", "Tên xã", "Số tổ bảo vệ ANTT", "Số thành viên tổ bảo vệ an ninh trật tự"],
              [1, "Phường Phố Hiến", "mười", 39],
              [2, "Phường Sơn Nam", 8, -3],
            ],
          },
        ],
      }),
    );
    await registerSources("unit_code,sheet,tab,layout\n33,fb-table,,table\n");
    await sync();
    const { states, checks: rows } = sections(await feedbackTab("fb-table"));
    // Each commune's state, by name.
    expect(states).toEqual([
      "Phường Phố Hiến — Năm 2025: Chưa chốt — để chốt số liệu từ bảng tính, thêm cột “Chốt số liệu” (ô đánh dấu ở dòng của mỗi xã)",
      "Phường Sơn Nam — Năm 2025: Chưa chốt — để chốt số liệu từ bảng tính, thêm cột “Chốt số liệu” (ô đánh dấu ở dòng của mỗi xã)",
    ]);
    expect(rows[0]).toEqual(["Xã", "Ô", "Chỉ tiêu", "Đã nhập", "Vấn đề", "Cách sửa"]);
    // The errors first, each with its commune; then the warnings (here, the required indicators the table lacks).
    expect(rows.slice(1, 3).map((r) => [r[0], r[1], r[3]])).toEqual([
      ["Phường Phố Hiến", "'Năm 2025'!C2", "mười"],
      ["Phường Sơn Nam", "'Năm 2025'!D3", "-3"],
    ]);
    expect(rows.length).toBeGreaterThan(3);
    expect(rows.slice(3).every((r) => r[4]?.startsWith("Cảnh báo: "))).toBe(true);
  });
});
