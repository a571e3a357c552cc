import { Hono } from "hono";
import { z } from "zod";
import { defaultDeadline, parsePeriodCode } from "../../domain/periods";
import { endOfDayOrMoment } from "../../domain/time";
import { requireRole } from "../access/middleware";
import { getDb } from "../db/client";
import { listPeriods, setPeriodDeadline } from "../db/periods";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { iso } from "../http/json";
import { jsonBody } from "../http/params";

/** A date alone means the end of that day in Vietnam; a date-time must say its offset. */
const deadline = z.union([z.iso.date(), z.iso.datetime({ offset: true }), z.null()], {
  error:
    "hạn báo cáo là ngày (2026-01-15) hoặc thời điểm ISO (2026-01-15T17:00:00+07:00), hoặc null để dùng hạn mặc định",
});

const deadlineMs = (value: string | null) => (value === null ? null : endOfDayOrMoment(value));

/** `GET /api/admin/periods`: each period's deadline as set (null: the default applies) and its default. */
export const periods = new Hono<AppEnv>()
  .use(requireRole("admin"))
  .get("/", async (c) =>
    c.json({
      periods: (await listPeriods(getDb(c.env.DB))).map((p) => ({
        code: p.code,
        deadline: iso(p.deadline),
        defaultDeadline: iso(p.defaultDeadline)!,
      })),
    }),
  )
  .put("/:code", jsonBody(z.object({ deadline })), async (c) => {
    const period = parsePeriodCode(c.req.param("code"));
    if (!period)
      throw new AppError(
        "bad_request",
        `Kỳ báo cáo “${c.req.param("code")}” không hợp lệ: dạng 2025, 2025-H1, 2025-Q3 hoặc 2025-M08`,
      );
    const at = deadlineMs(c.req.valid("json").deadline);
    await setPeriodDeadline(getDb(c.env.DB), period, at, c.get("principal").email);
    return c.json({ period: { code: period.code, deadline: iso(at), defaultDeadline: iso(defaultDeadline(period))! } });
  });
