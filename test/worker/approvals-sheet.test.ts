/**
 * Confirming from the sheet (PRODUCT.md §12): the row “Chốt số liệu” ticked submits the period as Drive's last editor,
 * unticked takes it back, an edit after it asks for it again; the sheet's tab “Kiểm tra số liệu” says where each
 * period stands, a move made on the dashboard included, by the next run even when the sheet did not change.
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { parseCatalog } from "../../worker/reference/catalog";
import { csvRecords } from "../../worker/reference/table";
import { readForm } from "../../worker/sheets/form";
import { feedbackTab, sections, syncWithFeedback } from "./feedback-helpers";
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

const catalog = parseCatalog(csvRecords(env.TEST_CATALOG_CSV)).rows;
const CLERK = { displayName: "Nguyễn Văn A", emailAddress: "a.nguyen@example.vn" };
const DAY = /\d{2}\/\d{2}\/\d{4}/.source;

/** The commune's form: its team count (E4), members (E5), then “Chốt số liệu” (E6) as the clerk left it. */
const form = (version: string, teams: unknown, tick: unknown, extra: Partial<Fixture> = {}): Fixture => ({
  ...formSheet(
    "Xã Bắc Đông Quan",
    ["Năm 2025"],
    [
      ["security_team_count", "Số tổ bảo vệ ANTT", teams],
      ["security_team_members", "Số thành viên", 40],
      ["chot_so_lieu", "Chốt số liệu", tick],
    ],
    { version, lastModifyingUser: CLERK },
  ),
  serviceAccount: "writer",
  ...extra,
});

const approval = async (unitCode = "12745") =>
  (await ok(client.approvals.$get({ query: { unit: "33", period: "2025" } }))).approvals.find(
    (a) => a.unitCode === unitCode,
  )!;

/** The lines of the tab's section “Chốt số liệu”. */
const states = async (id: string) => sections(await feedbackTab(id)).states;

const moves = async () =>
  (await ok(client.admin.audit.$get({ query: {} }))).entries
    .filter((e) => e.action.startsWith("approval."))
    .map((e) => [e.action, e.actor, e.detail]);

describe("confirming from the sheet", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedReference();
    await putSheet("tk-bdq", form("1", 12, false));
    await registerSources("unit_code,sheet,tab,layout\n12745,tk-bdq,,form\n");
    await sync();
  });

  it("submits a period when its box is ticked, as Drive's last editor, and the tab says so", async () => {
    expect((await approval()).state).toBe("open");
    expect(await states("tk-bdq")).toEqual([
      "Năm 2025: Chưa chốt — đánh dấu ô “Chốt số liệu” của kỳ này khi số liệu đã đủ và đúng",
    ]);

    await putSheet("tk-bdq", form("2", 12, true));
    await sync();
    expect(await approval()).toMatchObject({ state: "submitted", submittedBy: "a.nguyen@example.vn" });
    expect((await states("tk-bdq"))[0]).toMatch(new RegExp(`^Năm 2025: Xã đã chốt ${DAY} — chờ tỉnh duyệt$`));
    expect(await moves()).toEqual([
      [
        "approval.submit",
        "a.nguyen@example.vn",
        { reason: "Xã đánh dấu “Chốt số liệu” trong bảng tính", via: "sheet", cell: "'Năm 2025'!E6" },
      ],
    ]);
    // “Chốt số liệu” is not an indicator: no figure, no warning about an unknown row.
    const issues = await ok(client.issues.$get({ query: { unit: "12745", period: "2025" } }));
    expect(JSON.stringify(issues)).not.toContain("Chốt số liệu");
  });

  it("refuses a tick while a cell holds an error, naming the cell in the tab, and submits once it is fixed", async () => {
    await putSheet("tk-bdq", form("2", "3,5", true));
    await sync();
    expect((await approval()).state).toBe("open");
    const [line] = await states("tk-bdq");
    expect(line).toContain("Năm 2025: Chưa chốt được: còn 1 ô lỗi cần sửa trong bảng tính — 'Năm 2025'!E4");
    expect(line).toContain("Sửa xong, kỳ này được chốt ở lần đọc sau nếu ô “Chốt số liệu” vẫn được đánh dấu");

    // The clerk fixes the cell and leaves the box ticked.
    await putSheet("tk-bdq", form("3", 3, true));
    await sync();
    expect((await approval()).state).toBe("submitted");
  });

  it("takes the submission back on an edit after it, asks for the tick again, and counts the tick once renewed", async () => {
    await putSheet("tk-bdq", form("2", 12, true));
    await sync();
    await putSheet("tk-bdq", form("3", 13, true));
    await sync();
    expect(await approval()).toMatchObject({ state: "open", reason: "Bảng tính đã sửa sau khi chốt: cần chốt lại" });
    // Audited as the edit of the sheet's last editor.
    expect((await moves())[0]).toEqual([
      "approval.withdrawn",
      "a.nguyen@example.vn",
      { reason: "Bảng tính đã sửa sau khi chốt: cần chốt lại", via: "sheet" },
    ]);
    expect(await states("tk-bdq")).toEqual([
      "Năm 2025: Bảng tính đã sửa sau khi chốt: cần chốt lại — bỏ đánh dấu rồi đánh dấu lại ô “Chốt số liệu” của kỳ này",
    ]);

    // Another edit with the box still ticked: still to be confirmed again.
    await putSheet("tk-bdq", form("4", 14, true));
    await sync();
    expect((await approval()).state).toBe("open");

    // The clerk unticks and ticks again (no sync in between): the figures as they were, the sheet changed.
    await putSheet("tk-bdq", form("5", 14, true));
    await sync();
    expect((await approval()).state).toBe("submitted");
  });

  it("leaves a confirmation made on the dashboard alone while the sheet's box stays as it was", async () => {
    await ok(client.approvals.submit.$post({ json: { unitCode: "12745", period: "2025" } }));
    // The sheet is saved again (its box never ticked): nothing to take back.
    await putSheet("tk-bdq", form("2", 12, false));
    await sync();
    expect((await approval()).state).toBe("submitted");
    expect((await states("tk-bdq"))[0]).toMatch(new RegExp(`^Năm 2025: Xã đã chốt ${DAY} — chờ tỉnh duyệt$`));
    // Ticking it then changes nothing; unticking it afterwards takes the confirmation back.
    await putSheet("tk-bdq", form("3", 12, true));
    await sync();
    expect((await approval()).state).toBe("submitted");
    await putSheet("tk-bdq", form("4", 12, false));
    await sync();
    expect((await approval()).state).toBe("open");
  });

  it("does not take a read after a failed tab write for the clerk ticking again", async () => {
    await putSheet("tk-bdq", form("2", 12, true));
    await sync();
    // The edit after confirming is read, but the tab cannot be written: the sheet is read again at the next run.
    const failing = Array(5).fill({ status: 503, api: "sheets", call: "spreadsheets.batchUpdate" });
    await putSheet("tk-bdq", form("3", 13, true, { modifiedTime: "2026-11-21T08:00:00Z", faults: failing }));
    await sync();
    expect((await approval()).state).toBe("open");
    await sync();
    expect((await approval()).state).toBe("open");
    expect(await states("tk-bdq")).toEqual([
      "Năm 2025: Bảng tính đã sửa sau khi chốt: cần chốt lại — bỏ đánh dấu rồi đánh dấu lại ô “Chốt số liệu” của kỳ này",
    ]);
  });

  it("takes the submission back when the box is unticked, audited with who and why", async () => {
    await putSheet("tk-bdq", form("2", 12, true));
    await sync();
    await putSheet("tk-bdq", form("3", 12, false, { lastModifyingUser: { ...CLERK, hidesEmail: true } }));
    await sync();
    expect(await approval()).toMatchObject({
      state: "open",
      reason: "Xã đã bỏ đánh dấu “Chốt số liệu” trong bảng tính",
    });
    expect(await states("tk-bdq")).toEqual(["Năm 2025: Chưa chốt (đã bỏ đánh dấu “Chốt số liệu”)"]);
    // Drive hid the email: the name is who.
    expect((await moves())[0]).toEqual([
      "approval.withdrawn",
      "Nguyễn Văn A",
      { reason: "Xã đã bỏ đánh dấu “Chốt số liệu” trong bảng tính", via: "sheet", cell: "'Năm 2025'!E6" },
    ]);
  });

  it("writes a return's reason into the tab at the next run though the sheet did not change", async () => {
    await putSheet("tk-bdq", form("2", 12, true));
    await sync();
    await resetStandinStats();
    expect(await sync()).toMatchObject({ sourcesRead: 0, sourcesSkipped: 1 });

    await ok(
      client.approvals.return.$post({ json: { unitCode: "12745", period: "2025", reason: "Thiếu số thành viên" } }),
    );
    expect(await sync()).toMatchObject({ sourcesRead: 1 });
    expect(await states("tk-bdq")).toEqual([
      "Năm 2025: Tỉnh trả lại: Thiếu số thành viên — sửa xong thì chốt lại: bỏ đánh dấu rồi đánh dấu lại ô “Chốt số liệu” của kỳ này",
    ]);
    // Reading the unchanged sheet for its tab is not the clerk confirming again.
    expect((await approval()).state).toBe("returned");

    // Nothing moved since: nothing read, nothing written.
    await resetStandinStats();
    expect(await sync()).toMatchObject({ sourcesRead: 0, sourcesSkipped: 1 });
    const stats = await standinStats();
    expect(stats["sheets.values.batchGet"]).toBeUndefined();
    expect(stats["sheets.spreadsheets.batchUpdate"]).toBeUndefined();

    // The clerk ticks again: submitted again.
    await putSheet("tk-bdq", form("3", 12, true));
    await sync();
    expect((await approval()).state).toBe("submitted");
  });

  it("keeps accepted figures locked: an edit waits for the province and the tab says so; unticking reopens nothing", async () => {
    await putSheet("tk-bdq", form("2", 12, true));
    await sync();
    await ok(client.approvals.accept.$post({ json: { unitCodes: ["12745"], period: "2025" } }));
    await sync();
    expect((await states("tk-bdq"))[0]).toMatch(new RegExp(`^Năm 2025: Tỉnh đã duyệt ${DAY}$`));

    await putSheet("tk-bdq", form("3", 20, true));
    await sync();
    expect((await approval()).pendingChanges).toMatchObject([
      { indicator: "security_team_count", accepted: 12, latest: 20 },
    ]);
    expect((await states("tk-bdq"))[0]).toContain(
      "— bảng tính có 1 số liệu khác với số đã duyệt, chờ tỉnh xem xét; số đã duyệt được giữ cho đến khi tỉnh mở lại",
    );

    await putSheet("tk-bdq", form("4", 20, false));
    await sync();
    expect((await approval()).state).toBe("accepted");
    expect((await states("tk-bdq"))[0]).toContain(
      "bỏ đánh dấu “Chốt số liệu” không mở lại số liệu đã duyệt: chỉ tỉnh mở lại được",
    );

    // The province reopens: the sheet's figures come through, and the tab says why and what to do.
    await ok(
      client.approvals.reopen.$post({ json: { unitCode: "12745", period: "2025", reason: "Xã báo sai số tổ" } }),
    );
    await sync();
    expect(await states("tk-bdq")).toEqual([
      "Năm 2025: Tỉnh mở lại: Xã báo sai số tổ — sửa nếu cần rồi chốt lại: đánh dấu ô “Chốt số liệu” của kỳ này",
    ]);
  });

  it("takes a tick as clerks mark it, and says what it cannot read", () => {
    const grid = (mark: unknown) => ({
      tab: "Năm 2025",
      rows: [
        ["STT", "Chỉ tiêu", "Mã", "Năm 2024", "Năm 2025"],
        [1, "Số tổ bảo vệ ANTT", "security_team_count", 11, 12],
        [2, "Chốt số liệu:", "", true, mark],
      ],
    });
    const read = (mark: unknown) => readForm(grid(mark), { catalog, unitCode: "12745", communes: [] });
    for (const mark of [true, "TRUE", "x", "X", "có", 1, "1", "Đã chốt"])
      expect(
        read(mark).ticks?.map((t) => t.ticked),
        String(mark),
      ).toEqual([true, true]);
    for (const mark of [false, "FALSE", "", undefined, 0, "chưa"])
      expect(
        read(mark).ticks?.map((t) => t.ticked),
        String(mark),
      ).toEqual([true, false]);
    const unclear = read("xong rồi");
    expect(unclear.ticks?.[1]).toEqual({ unitCode: "12745", period: "2025", ticked: false, cell: "'Năm 2025'!E3" });
    expect(unclear.issues).toEqual([
      expect.objectContaining({ severity: "warning", code: "unknown_tick", cell: "'Năm 2025'!E3" }),
    ]);
    // Never a value, never a row the catalog lacks.
    expect(read(true).values.map((v) => v.indicatorCode)).toEqual(["security_team_count", "security_team_count"]);
    expect(read(true).issues).toEqual([]);
  });

  it("reads a table's column “Chốt số liệu”, one commune a row", async () => {
    const table = (version: string, second: unknown): Fixture => ({
      properties: { title: "Tổng hợp phong trào", locale: "vi_VN" },
      version,
      serviceAccount: "writer",
      lastModifyingUser: { displayName: "Văn phòng Công an tỉnh" },
      sheets: [
        {
          properties: { sheetId: 0, title: "Năm 2025" },
          values: [
            ["STT", "Tên xã", "Số tổ bảo vệ ANTT", "Chốt số liệu"],
            [1, "Phường Phố Hiến", 5, true],
            [2, "Phường Sơn Nam", 8, second],
            [3, "Phường Hồng Châu", 4, "x"],
          ],
        },
      ],
    });
    await putSheet("tk-table", table("1", false));
    await registerSources("unit_code,sheet,tab,layout\n33,tk-table,,table\n");
    await sync();
    expect(await approval("11953")).toMatchObject({ state: "submitted", submittedBy: "Văn phòng Công an tỉnh" });
    expect((await approval("11983")).state).toBe("open");
    expect((await approval("11980")).state).toBe("submitted");
    const lines = await states("tk-table");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^Phường Hồng Châu — Năm 2025: Xã đã chốt ${DAY} — chờ tỉnh duyệt$`));
    expect(lines[2]).toBe(
      "Phường Sơn Nam — Năm 2025: Chưa chốt — đánh dấu ô “Chốt số liệu” của kỳ này khi số liệu đã đủ và đúng",
    );

    await putSheet("tk-table", table("2", "có"));
    await sync();
    expect((await approval("11983")).state).toBe("submitted");
  });
});
