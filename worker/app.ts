/**
 * The HTTP app: every route under /api chained on one Hono instance, so that its type, `AppType`, carries every
 * request and response shape to the dashboard's client (`hc<AppType>`) and to the route tests.
 * @see https://hono.dev/docs/guides/rpc
 */
import { Hono } from "hono";
import { authenticate, refuseMisconfiguredDevelopmentMode } from "./access/middleware";
import { securityHeaders } from "./access/security-headers";
import { useFigureCache } from "./aggregate/cache";
import type { AppEnv } from "./env";
import { AppError, handleError } from "./errors";
import { httpCaching } from "./http/cache";
import { d1Cost } from "./http/d1-cost";
import { d1Session } from "./http/d1-session";
import { readYearEnd } from "./reporting-year";
import { admin } from "./routes/admin";
import { approvalsRoute } from "./routes/approvals";
import { assets } from "./routes/assets";
import { audit } from "./routes/audit";
import { adminBoundaries, boundariesRoute } from "./routes/boundaries";
import { breakdown } from "./routes/breakdown";
import { adminConferences, conferencesRoute } from "./routes/conferences";
import { coverageRoute } from "./routes/coverage";
import { exportCsv, exportXlsx } from "./routes/export";
import { health } from "./routes/health";
import { issues } from "./routes/issues";
import { meta } from "./routes/meta";
import { adminModels, modelsRoute } from "./routes/models";
import { periods } from "./routes/periods";
import { report } from "./routes/report";
import { adminReportDocument, reportDocx } from "./routes/report-docx";
import { adminSources, sourcesRoute } from "./routes/sources";
import { summary } from "./routes/summary";
import { sync } from "./routes/sync";
import { tokens } from "./routes/tokens";
import { trendRoute } from "./routes/trend";
import { users } from "./routes/users";

export const app = new Hono<AppEnv>()
  // First, so no API middleware touches them: the bundles stay static files, with the static files' headers.
  .route("/assets", assets)
  .use("*", securityHeaders)
  .use("*", refuseMisconfiguredDevelopmentMode)
  .use("/api/*", d1Session)
  .use("/api/*", d1Cost)
  .use("/api/*", httpCaching)
  .use("/api/*", async (c, next) => {
    useFigureCache(c.env.FIGURE_CACHE !== "false");
    readYearEnd(c.env);
    await next();
  })
  .route("/api/health", health)
  .use("/api/*", authenticate)
  .route("/api/meta", meta)
  .route("/api/summary", summary)
  .route("/api/coverage", coverageRoute)
  .route("/api/models", modelsRoute)
  .route("/api/boundaries", boundariesRoute)
  .route("/api/breakdown", breakdown)
  .route("/api/trend", trendRoute)
  .route("/api/issues", issues)
  .route("/api/export.csv", exportCsv)
  .route("/api/export.xlsx", exportXlsx)
  .route("/api/report", report)
  .route("/api/report.docx", reportDocx)
  .route("/api/admin/periods", periods)
  .route("/api/sync", sync)
  .route("/api/sources", sourcesRoute)
  .route("/api/conferences", conferencesRoute)
  .route("/api/approvals", approvalsRoute)
  .route("/api/admin/conferences", adminConferences)
  .route("/api/admin/users", users)
  .route("/api/admin/tokens", tokens)
  .route("/api/admin/audit", audit)
  .route("/api/admin/boundaries", adminBoundaries)
  .route("/api/admin/sources", adminSources)
  .route("/api/admin/model-types", adminModels)
  .route("/api/admin", adminReportDocument)
  .route("/api/admin", admin)
  .all("/api/*", () => {
    throw new AppError("not_found", "Không có địa chỉ API này");
  });

app.onError(handleError);

export type AppType = typeof app;
