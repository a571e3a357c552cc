/** The models tab as clerks fill it → each commune's kinds and points, or the problem at its cell (PRODUCT.md §15). */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parseModelTypes } from "../../worker/models/catalog";
import { kindMatcher, modelKey, sharedNames } from "../../worker/models/match";
import { csvRecords } from "../../worker/reference/table";
import { findModelsGrid, modelCountIssues, readModels } from "../../worker/sheets/models";

const types = parseModelTypes(csvRecords(env.TEST_MODEL_TYPES_CSV)).rows;
const match = kindMatcher(types);
const COMMUNES = [
  { code: "12745", name: "Bắc Đông Quan", fullName: "Xã Bắc Đông Quan" },
  { code: "11953", name: "Phố Hiến", fullName: "Phường Phố Hiến" },
];
const formCtx = {
  unitCode: "12745",
  communes: [],
  layout: "form" as const,
  match,
  fallbackPeriod: "2025",
};

describe("the catalog of model kinds", () => {
  it("reads the default catalog: 22 kinds, no name shared by two kinds", () => {
    expect(types).toHaveLength(22);
    expect(types[0]).toMatchObject({ code: "camera_an_ninh", label: "Camera an ninh" });
    expect(types[0]?.aliases).toContain("Camera ANTT");
    expect(sharedNames(types)).toEqual([]);
  });

  it("matches labels and aliases without case, diacritics, punctuation, extra spaces or a leading “Mô hình”", () => {
    for (const words of [
      "Camera an ninh",
      "CAMERA  AN NINH",
      "camera an ninh.",
      "Mô hình camera an ninh",
      "Camera ANTT",
      "Camera an ninh trật tự",
      "Camera giám sát an ninh",
    ])
      expect(match(words), words).toMatchObject({ code: "camera_an_ninh", inCatalog: true });
    expect(match("Tổ liên gia an toàn PCCC")?.code).toBe("lien_gia_an_toan_pccc");
    expect(match("Tổ liên gia an toàn phòng cháy, chữa cháy")?.code).toBe("lien_gia_an_toan_pccc");
    expect(match("Cổng trường an toàn về trật tự an toàn giao thông")?.code).toBe("cong_truong_an_toan");
    expect(match("4 tự")?.code).toBe("tu_phong_tu_quan");
  });

  it("keeps a kind it does not know under the clerk's words, one key for the same words written alike", () => {
    const a = match("Mô hình “Nhà văn hóa an toàn”");
    expect(a).toMatchObject({ inCatalog: false, label: "Mô hình “Nhà văn hóa an toàn”" });
    expect(match("nha van hoa an toan")?.code).toBe(a?.code);
    expect(modelKey("Camera ANTT")).toBe("camera an ninh trat tu");
  });

  it("refuses a bad code, a missing label and a repeated code, by line", () => {
    const { problems } = parseModelTypes(
      csvRecords(
        "code,label_vi,aliases\nCamera,Camera,\nx_y,,\ncamera_an_ninh,Camera an ninh,\ncamera_an_ninh,Khác,\n",
      ),
    );
    expect(problems.map((p) => p.line)).toEqual([2, 3, 5]);
    expect(problems[0]?.message).toContain("Mã loại mô hình “Camera” không hợp lệ");
  });
});

const tab = (title: string, rows: unknown[][]) => ({ tab: title, rows });

describe("a commune's models tab", () => {
  const grid = tab("Mô hình", [
    ["UBND XÃ BẮC ĐÔNG QUAN"],
    ["DANH SÁCH MÔ HÌNH TỰ QUẢN NĂM 2025"],
    ["STT", "Loại mô hình", "Số điểm", "Ghi chú"],
    [1, "Camera an ninh", 12, ""],
    [2, "Cổng trường ATGT", "3", ""],
    [3, "Mô hình “Nhà văn hóa an toàn”", "2 điểm", "mới"],
    [4, "camera ANTT", 4, "trùng"],
    [5, "Tổ tuần tra nhân dân", "3,5", ""],
    [6, "Tổ liên gia an toàn PCCC", -2, ""],
    [7, "", 5, ""],
    [8, "Giáo xứ bình yên", "", ""],
    [9, "Dân vận khéo", 0, ""],
    ["", "Tổng cộng", 17, ""],
  ]);

  it("reads each kind's points, the period from the title, and each problem at its cell in Vietnamese", () => {
    const { lists, issues } = readModels(grid, formCtx);
    expect(lists).toHaveLength(1);
    expect(lists[0]).toMatchObject({ unitCode: "12745", period: "2025", cell: "'Mô hình'!B3" });
    expect(lists[0]?.entries.map((e) => [e.kind, e.points, e.inCatalog, e.cell])).toEqual([
      ["camera_an_ninh", 12, true, "'Mô hình'!C4"],
      ["cong_truong_an_toan", 3, true, "'Mô hình'!C5"],
      ["?nha van hoa an toan", 2, false, "'Mô hình'!C6"],
    ]);
    const at = Object.fromEntries(issues.map((i) => [i.cell, [i.severity, i.code, i.message]]));
    expect(at["'Mô hình'!B6"]).toEqual([
      "warning",
      "models_unknown_kind",
      expect.stringContaining("Loại mô hình chưa có trong danh mục: “Mô hình “Nhà văn hóa an toàn””"),
    ]);
    expect(at["'Mô hình'!B7"]).toEqual([
      "error",
      "models_duplicate",
      expect.stringContaining("loại mô hình “Camera an ninh” đã có ở dòng 4"),
    ]);
    expect(at["'Mô hình'!C8"]).toEqual(["error", "not_integer", expect.stringContaining("không phải số nguyên")]);
    expect(at["'Mô hình'!C9"]).toEqual(["error", "negative", expect.stringContaining("số âm")]);
    expect(at["'Mô hình'!B10"]).toEqual(["error", "models_no_kind", expect.stringContaining("chưa ghi loại mô hình")]);
    expect(at["'Mô hình'!C11"]).toEqual(["warning", "models_no_points", expect.stringContaining("chưa ghi số điểm")]);
    expect(issues).toHaveLength(6);
  });

  it("is found by its header words among the tabs, and a tab with a header and no rows is a list of none", () => {
    const form = tab("Năm 2025", [["STT", "Chỉ tiêu", "Mã", "Năm 2025"]]);
    const other = tab("Danh sách", [["Loại mô hình", "Số mô hình"]]);
    expect(findModelsGrid([form, other])?.tab).toBe("Danh sách");
    expect(readModels(other, formCtx).lists).toEqual([
      { unitCode: "12745", period: "2025", cell: "'Danh sách'!A1", entries: [] },
    ]);
    expect(findModelsGrid([form])).toBeNull();
  });

  it("takes the period from the tab's name before the form's latest, and says when there is none", () => {
    expect(readModels(tab("Mô hình 2024", [["Loại mô hình", "Số điểm"]]), formCtx).lists[0]?.period).toBe("2024");
    const none = readModels(tab("Mô hình", [["Loại mô hình", "Số điểm"]]), { ...formCtx, fallbackPeriod: null });
    expect(none.lists).toEqual([]);
    expect(none.issues[0]).toMatchObject({ cell: "'Mô hình'!A1", severity: "error", code: "models_no_period" });
  });

  it("warns at the typed count's cell when the list adds up to another number", () => {
    const { lists } = readModels(grid, formCtx);
    const value = (v: number) => ({
      unitCode: "12745",
      indicatorCode: "self_managed_model_count",
      period: "2025",
      value: v,
      approximate: false,
      raw: String(v),
      cell: "'Năm 2025'!F10",
    });
    expect(modelCountIssues(lists, [value(17)])).toEqual([]);
    const [issue] = modelCountIssues(lists, [value(19)]);
    expect(issue).toMatchObject({
      cell: "'Năm 2025'!F10",
      severity: "warning",
      indicatorCode: "self_managed_model_count",
    });
    expect(issue?.message).toContain("Tổng số điểm theo danh sách (17) khác số mô hình đã nhập (19)");
  });
});

describe("a province-wide models table", () => {
  it("lists many communes, a commune named on its first row only, an unknown commune said at its cell", () => {
    const grid = tab("Mô hình 2025", [
      ["Mã xã", "Tên xã", "Loại mô hình", "Số điểm"],
      ["12745", "Xã Bắc Đông Quan", "Camera an ninh", 5],
      ["", "", "Chợ an toàn", 1],
      ["", "Phố Hiến", "Camera an ninh", 7],
      ["", "Phố Hiến", "Camera an ninh", 1],
      ["", "Xã Không Có", "Camera an ninh", 9],
      ["", "", "Chợ an toàn", 9],
      ["", "Tổng cộng", "", 22],
    ]);
    const { lists, issues } = readModels(grid, { ...formCtx, unitCode: "33", communes: COMMUNES, layout: "table" });
    expect(lists.map((l) => [l.unitCode, l.entries.map((e) => `${e.kind}:${e.points}`)])).toEqual([
      ["12745", ["camera_an_ninh:5", "cho_an_toan:1"]],
      ["11953", ["camera_an_ninh:7"]],
    ]);
    expect(issues.map((i) => [i.cell, i.code])).toEqual([
      ["'Mô hình 2025'!C5", "models_duplicate"],
      ["'Mô hình 2025'!B6", "models_unknown_unit"],
    ]);
  });
});
