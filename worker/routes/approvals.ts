/**
 * Official figures (PRODUCT.md §12): `GET /api/approvals?unit=&period=` — every commune of the unit with its state and
 * pending changes — and the moves: a commune user (or an admin covering it) submits; an admin covering the commune
 * accepts, returns and reopens.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { IndicatorKind } from "../../domain/indicators";
import { vietnamToday } from "../../domain/time";
import { requireRole } from "../access/middleware";
import type { Principal } from "../access/principal";
import { assertCanRead } from "../access/scope";
import { accept, reopen, returnToCommune, submit } from "../admin/approvals";
import { type ApprovalRecord, approvalsUnder, pendingUnder } from "../db/approvals";
import { type Db, getDb } from "../db/client";
import { deadlineFrom, deadlineQuery } from "../db/periods";
import { unitListFor } from "../db/units";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { iso } from "../http/json";
import { periodCode, unitCode, unitOrCountry, valid } from "../http/params";

/** A pending change: the indicator (its label and kind, to say it), its accepted value and what the sheet says now. */
type Pending = {
  indicator: string;
  label: string;
  kind: IndicatorKind;
  accepted: number | null;
  latest: number | null;
};

/** One commune's approval as the API shows it; a commune with no approval yet is `open`. */
function approvalJson(
  commune: { unitCode: string; unitName: string | null },
  a: ApprovalRecord | null,
  deadline: number,
  pendingChanges: Pending[],
) {
  return {
    unitCode: commune.unitCode,
    unitName: commune.unitName,
    state: a?.state ?? "open",
    submittedAt: iso(a?.submittedAt ?? null),
    submittedBy: a?.submittedBy ?? null,
    acceptedAt: iso(a?.acceptedAt ?? null),
    acceptedBy: a?.acceptedBy ?? null,
    returnedAt: iso(a?.returnedAt ?? null),
    returnedBy: a?.returnedBy ?? null,
    reason: a?.reason ?? null,
    onTime: a?.submittedAt == null ? null : a.submittedAt <= deadline,
    pendingChanges,
  };
}

async function deadlineOf(db: Db, period: string): Promise<number> {
  return deadlineFrom(period, await db.all<{ deadline: number | null }>(deadlineQuery(period)));
}

/** A commune user moves its own commune only; an admin the communes it covers; nobody else. */
async function assertMayMove(db: Db, principal: Principal, unitCode: string, asCommune: boolean): Promise<void> {
  if (principal.role === "commune" && asCommune) {
    if (principal.scopeUnitCode !== unitCode)
      throw new AppError("forbidden", `Tài khoản chỉ chốt được số liệu của xã mình, không phải đơn vị ${unitCode}`);
    return;
  }
  if (principal.role !== "admin")
    throw new AppError("forbidden", "Chỉ quản trị viên của tỉnh mới duyệt, trả lại hoặc mở lại số liệu");
  await assertCanRead(db, principal, unitCode);
}

const reason = z.string().trim().min(1, "ghi lý do").max(1000);
const move = z.object({ unitCode, period: periodCode });

export const approvalsRoute = new Hono<AppEnv>()
  .get("/", valid("query", z.object({ unit: unitOrCountry, period: periodCode })), async (c) => {
    const { unit, period } = c.req.valid("query");
    const db = getDb(c.env.DB);
    await assertCanRead(db, c.get("principal"), unit);
    const listDate = await unitListFor(db, vietnamToday());
    if (!listDate) return c.json({ period, approvals: [] });
    const [communes, pending, deadline] = await Promise.all([
      approvalsUnder(db, listDate, unit, period),
      pendingUnder(db, listDate, unit, period),
      deadlineOf(db, period),
    ]);
    const changes = (code: string): Pending[] =>
      pending
        .filter((p) => p.unitCode === code)
        .map((p) => ({
          indicator: p.indicatorCode,
          label: p.label,
          kind: p.kind,
          accepted: p.accepted,
          latest: p.latest,
        }));
    return c.json({
      period,
      approvals: communes.map((x) => approvalJson(x, x.approval, deadline, changes(x.unitCode))),
    });
  })
  .post("/submit", requireRole("admin", "commune"), valid("json", move), async (c) => {
    const { unitCode, period } = c.req.valid("json");
    const db = getDb(c.env.DB);
    const principal = c.get("principal");
    await assertMayMove(db, principal, unitCode, true);
    const a = await submit(db, unitCode, period, principal.email);
    return c.json({ approval: approvalJson({ unitCode, unitName: null }, a, await deadlineOf(db, period), []) });
  })
  .post(
    "/accept",
    requireRole("admin"),
    valid(
      "json",
      z.object({ unitCodes: z.array(unitCode).min(1, "chọn ít nhất một xã").max(500), period: periodCode }),
    ),
    async (c) => {
      const { unitCodes, period } = c.req.valid("json");
      const db = getDb(c.env.DB);
      const principal = c.get("principal");
      for (const code of unitCodes) await assertMayMove(db, principal, code, false);
      const deadline = await deadlineOf(db, period);
      const results = await accept(db, unitCodes, period, principal.email);
      return c.json({
        approvals: results.map((r) => ({
          ...approvalJson({ unitCode: r.unitCode, unitName: null }, r.approval, deadline, []),
          refused: r.refused,
        })),
      });
    },
  )
  .post("/return", requireRole("admin"), valid("json", move.extend({ reason })), async (c) => {
    const { unitCode, period, reason: why } = c.req.valid("json");
    const db = getDb(c.env.DB);
    const principal = c.get("principal");
    await assertMayMove(db, principal, unitCode, false);
    const a = await returnToCommune(db, unitCode, period, why, principal.email);
    return c.json({ approval: approvalJson({ unitCode, unitName: null }, a, await deadlineOf(db, period), []) });
  })
  .post("/reopen", requireRole("admin"), valid("json", move.extend({ reason })), async (c) => {
    const { unitCode, period, reason: why } = c.req.valid("json");
    const db = getDb(c.env.DB);
    const principal = c.get("principal");
    await assertMayMove(db, principal, unitCode, false);
    const a = await reopen(c.env, db, unitCode, period, why, principal.email);
    return c.json({ approval: approvalJson({ unitCode, unitName: null }, a, await deadlineOf(db, period), []) });
  });
