/** `GET /api/admin/periods` and `PUT /api/admin/periods/:code`: each period's deadline as set, and its default. */
import { Hono } from "hono";
import { z } from "zod";
import { defaultDeadline, parsePeriodCode } from "../../domain/periods";
import { endOfDayOrMoment } from "../../domain/time";
import { requireRole } from "../access/middleware";
import { assertNational } from "../access/scope";
import { setPeriodDeadline } from "../admin/periods";
import { getDb } from "../db/client";
import { listPeriods } from "../db/periods";
import type { AppEnv } from "../env";
import { iso } from "../http/json";
import { periodCode, valid } from "../http/params";

/** A date alone means the end of that day in Vietnam; a date-time must say its offset. */
const deadline = z.union([z.iso.date(), z.iso.datetime({ offset: true }), z.null()], {
  error:
    "hạn báo cáo là ngày (2026-01-15) hoặc thời điểm ISO (2026-01-15T17:00:00+07:00), hoặc null để dùng hạn mặc định",
});

/** A period as the API shows it: its deadline as set (null: the default applies) and the default. */
function periodJson(p: { code: string; deadline: number | null; defaultDeadline: number }) {
  return { code: p.code, deadline: iso(p.deadline), defaultDeadline: iso(p.defaultDeadline) };
}

export const periods = new Hono<AppEnv>()
  .use(requireRole("admin"))
  .get("/", async (c) => c.json({ periods: (await listPeriods(getDb(c.env.DB))).map(periodJson) }))
  .put("/:code", valid("param", z.object({ code: periodCode })), valid("json", z.object({ deadline })), async (c) => {
    // One deadline holds for every province: the national calendar.
    assertNational(c.get("principal"), "đặt hạn báo cáo (hạn chung cho mọi tỉnh)");
    const period = parsePeriodCode(c.req.valid("param").code);
    if (!period) throw new Error("a validated period code did not parse");
    const value = c.req.valid("json").deadline;
    const at = value === null ? null : endOfDayOrMoment(value);
    await setPeriodDeadline(getDb(c.env.DB), period, at, c.get("principal").email);
    return c.json({
      period: periodJson({ code: period.code, deadline: at, defaultDeadline: defaultDeadline(period) }),
    });
  });
