/** Parameters of the aggregation endpoints: a unit (or `VN`, the whole country), periods, an indicator, a conference. */
import { z } from "zod";
import { periodCode, unitCode } from "../routes/params";

export const unitOrCountry = z.union([z.literal("VN"), unitCode], { error: "mã đơn vị gồm 2 đến 5 chữ số, hoặc VN cho toàn quốc" });
export const indicatorCode = z.string().regex(/^[a-z][a-z0-9_]*$/, "mã chỉ tiêu gồm chữ thường, số và dấu _");
export const conferenceId = z.coerce.number().int().positive();

export const aggregateParams = {
  unit: unitOrCountry,
  period: periodCode,
  compare: periodCode.optional(),
  conference: conferenceId.optional(),
};
