/** Indicator kinds (PRODUCT.md §2): count and amount are summed, a flag counts “N of M communes”, a ratio is computed. */
export const INDICATOR_KINDS = ["count", "amount", "flag", "ratio"] as const;
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];

/**
 * The figures a review conference leads with, in the speech's order (PRODUCT.md §1): security teams with their
 * members, self-management models, exemplary cases, residential areas certified safe, tips from citizens, weapons
 * handed in. A catalog's `headline` column overrides it.
 */
export const DEFAULT_HEADLINES = [
  "security_team_count",
  "security_team_members",
  "self_managed_model_count",
  "advanced_example_count",
  "residential_area_safe_rate",
  "crime_tip_received",
  "guns_recovered",
];

/** Vietnamese titles of the catalog's groups; a group not named here is shown by its code. */
export const GROUP_TITLES: Record<string, string> = {
  luc_luong: "Lực lượng bảo vệ an ninh trật tự ở cơ sở",
  mo_hinh: "Mô hình tự quản, điển hình tiên tiến",
  an_toan: "Xây dựng địa bàn an toàn về an ninh trật tự",
  tin_bao: "Tin báo, tố giác tội phạm",
  vu_khi: "Vận động giao nộp vũ khí, vật liệu nổ, pháo",
  giao_duc: "Giáo dục, cảm hóa, giúp đỡ người lầm lỗi",
  ngay_hoi: "Ngày hội toàn dân bảo vệ an ninh Tổ quốc",
  khen_thuong: "Khen thưởng",
};

/** A label as a reader sees it: a flag's coding note for the clerk, “(1 = đạt; 0 = chưa đạt)”, left out. */
export function readerLabel(label: string): string {
  return label.replace(/\s*\(\s*1\s*=[^)]*\)\s*$/, "");
}
