/**
 * The Worker: the JSON API under /api (`app.ts`), the scheduled sync, the sync Queue's consumer, and (through the
 * ASSETS binding) the dashboard. Handlers only wire; the work lives in sync/, sheets/, aggregate/ and db/.
 */
import { app } from "./app";
import { readYearEnd } from "./reporting-year";
import { handleSyncQueue } from "./sync/queue";
import type { SyncJob } from "./sync/run";
import { runScheduledSync } from "./sync/scheduled";

export default {
  fetch: app.fetch,
  scheduled: async (controller, env, ctx) => {
    readYearEnd(env);
    ctx.waitUntil(runScheduledSync(env, controller.scheduledTime));
  },
  queue: (batch, env) => {
    readYearEnd(env);
    return handleSyncQueue(batch, env);
  },
} satisfies ExportedHandler<Env, SyncJob>;
