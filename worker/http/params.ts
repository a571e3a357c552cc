/**
 * Request input, validated before any query runs and refused in Vietnamese naming the field: one validator for the
 * path, the query string and JSON bodies (`valid`), and the parameters the routes share — units (or `VN`, the whole
 * country), periods, indicators, conferences, ids.
 * @see https://hono.dev/docs/guides/validation#with-zod
 */
import { zValidator } from "@hono/zod-validator";
import { z } from "zod";
import { periodProblem } from "../../domain/periods";
import { NATIONAL } from "../../domain/units";
import { AppError } from "../errors";

type Target = "param" | "query" | "json";

/** How each part of a request is named in a refusal. */
const fieldWord: Record<Target, string> = { param: "Đường dẫn", query: "Tham số", json: "Trường" };

/** `target` validated by `schema`; a failure is answered with the API's error envelope, naming the field. */
export function valid<T extends Target, S extends z.ZodType>(target: T, schema: S) {
  return zValidator(target, schema, (result) => {
    if (result.success) return;
    const [issue] = result.error.issues;
    const field = issue?.path.join(".") ?? "";
    const name = field || (target === "json" ? "nội dung" : "");
    throw new AppError(
      "bad_request",
      `${fieldWord[target]} “${name}” không hợp lệ: ${issue?.message ?? "sai dạng"}`,
      {},
      field || null,
    );
  });
}

export const unitCode = z.string().regex(/^\d{2,5}$/, "mã đơn vị gồm 2 đến 5 chữ số");
export const periodCode = z.string().superRefine((p, ctx) => {
  const problem = periodProblem(p);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const unitOrCountry = z.union([z.literal(NATIONAL), unitCode], {
  error: "mã đơn vị gồm 2 đến 5 chữ số, hoặc VN cho toàn quốc",
});
export const indicatorCode = z.string().regex(/^[a-z][a-z0-9_]*$/, "mã chỉ tiêu gồm chữ thường, số và dấu _");

/** A row's number in the path (`/:id`): a positive whole number. */
export const idParam = z.object({ id: z.coerce.number().int().positive("số thứ tự là số nguyên dương") });

const conferenceId = z.coerce.number().int().positive();

/** Which communes' figures count (PRODUCT.md §12): every commune (`latest`, the default) or the accepted ones. */
export const basis = z.enum(["latest", "accepted"], {
  error: "cơ sở số liệu là latest (mới nhất) hoặc accepted (đã được tỉnh duyệt)",
});

export const aggregateParams = {
  unit: unitOrCountry,
  period: periodCode,
  compare: periodCode.optional(),
  conference: conferenceId.optional(),
  basis: basis.default("latest"),
};
