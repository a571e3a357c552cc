/**
 * The Worker: the JSON API under /api, the scheduled sync, and (through the ASSETS binding) the dashboard.
 * Handlers only wire; the work lives in sync/, sheets/, aggregate/ and db/.
 */
import { Hono } from "hono";
import { authenticate, refuseMisconfiguredDevelopmentMode } from "./access/middleware";
import { securityHeaders } from "./access/security-headers";
import type { AppEnv } from "./env";
import { AppError, handleError } from "./errors";
import { httpCaching } from "./http/cache";
import { admin } from "./routes/admin";
import { audit } from "./routes/audit";
import { breakdown } from "./routes/breakdown";
import { exportCsv, exportXlsx } from "./routes/export";
import { health } from "./routes/health";
import { issues } from "./routes/issues";
import { meta } from "./routes/meta";
import { periods } from "./routes/periods";
import { report } from "./routes/report";
import { sourcesRoute } from "./routes/sources";
import { adminConferences, conferencesRoute } from "./routes/conferences";
import { summary } from "./routes/summary";
import { sync } from "./routes/sync";
import { tokens } from "./routes/tokens";
import { users } from "./routes/users";
import { handleSyncQueue } from "./sync/queue";
import type { SyncJob } from "./sync/run";
import { runScheduledSync } from "./sync/scheduled";

const app = new Hono<AppEnv>();
app.onError(handleError);
app.use("*", securityHeaders);
app.use("*", refuseMisconfiguredDevelopmentMode);
app.use("/api/*", httpCaching);
app.route("/api/health", health);
app.use("/api/*", authenticate);
app.route("/api/meta", meta);
app.route("/api/summary", summary);
app.route("/api/breakdown", breakdown);
app.route("/api/issues", issues);
app.route("/api/export.csv", exportCsv);
app.route("/api/export.xlsx", exportXlsx);
app.route("/api/report", report);
app.route("/api/admin/periods", periods);
app.route("/api/sync", sync);
app.route("/api/sources", sourcesRoute);
app.route("/api/conferences", conferencesRoute);
app.route("/api/admin/conferences", adminConferences);
app.route("/api/admin/users", users);
app.route("/api/admin/tokens", tokens);
app.route("/api/admin/audit", audit);
app.route("/api/admin", admin);
app.all("/api/*", () => {
  throw new AppError("not_found", "Không có địa chỉ API này");
});

export default {
  fetch: app.fetch,
  scheduled: async (controller, env, ctx) => {
    ctx.waitUntil(runScheduledSync(env, controller.scheduledTime));
  },
  queue: (batch, env) => handleSyncQueue(batch, env),
} satisfies ExportedHandler<Env, SyncJob>;
