/** `npm run sheets -- check` on a terminal: advice wraps onto more lines instead of being cut. */
import { describe, expect, it } from "vitest";
import { formatTable } from "../../tools/sheets/check.mjs";

describe("the check table on a terminal", () => {
  it("wraps long advice at its spaces and keeps the service account's email whole", () => {
    const email = "antq-sync@tinh-hung-yen-antq.iam.gserviceaccount.com";
    const advice = `Chưa chia sẻ cho ${email}: mở bảng tính › Chia sẻ › thêm ${email} quyền Người xem`;
    const text = formatTable({ head: ["Mã", "Việc cần làm"], body: [["12745", advice]] });
    const lines = text.split("\n");
    // No column is wider than 60 characters, so the table fits a terminal.
    expect(lines.every((l) => l.length <= "12745".length + 2 + 60)).toBe(true);
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.filter((l) => l.includes(email))).toHaveLength(2);
    const cell = lines
      .slice(2)
      .map((l) => l.slice(7).trim())
      .join(" ");
    expect(cell).toBe(advice);
  });
});
