/**
 * Request parameters, validated before any query runs and refused in Vietnamese: units (or `VN`, the whole country),
 * periods, indicators, conferences; the validators for query strings and JSON bodies.
 */
import { zValidator } from "@hono/zod-validator";
import { z } from "zod";
import { parsePeriodCode } from "../../domain/periods";
import { NATIONAL } from "../../domain/units";
import { AppError } from "../errors";

export const unitCode = z.string().regex(/^\d{2,5}$/, "mã đơn vị gồm 2 đến 5 chữ số");
export const periodCode = z
  .string()
  .refine((p) => parsePeriodCode(p) !== null, "kỳ báo cáo dạng 2025, 2025-H1, 2025-Q3 hoặc 2025-M08");

/** zod validation whose failure is answered with the API's error envelope, in Vietnamese, naming the field. */
export function query<T extends z.ZodType>(schema: T) {
  return zValidator("query", schema, (result) => {
    if (!result.success) {
      const issue = result.error.issues[0]!;
      const field = issue.path.join(".");
      throw new AppError("bad_request", `Tham số “${field}” không hợp lệ: ${issue.message}`, {}, field || null);
    }
  });
}

/** A JSON body validated like `query`, failures answered in Vietnamese. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return zValidator("json", schema, (result) => {
    if (!result.success) {
      const issue = result.error.issues[0]!;
      const field = issue.path.join(".");
      throw new AppError(
        "bad_request",
        `Trường “${field || "nội dung"}” không hợp lệ: ${issue.message}`,
        {},
        field || null,
      );
    }
  });
}

export const unitOrCountry = z.union([z.literal(NATIONAL), unitCode], {
  error: "mã đơn vị gồm 2 đến 5 chữ số, hoặc VN cho toàn quốc",
});
export const indicatorCode = z.string().regex(/^[a-z][a-z0-9_]*$/, "mã chỉ tiêu gồm chữ thường, số và dấu _");
const conferenceId = z.coerce.number().int().positive();

export const aggregateParams = {
  unit: unitOrCountry,
  period: periodCode,
  compare: periodCode.optional(),
  conference: conferenceId.optional(),
};
