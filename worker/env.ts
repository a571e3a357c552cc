/**
 * The Worker's environment: bindings and vars come from wrangler.toml (`npm run cf-typegen`);
 * secrets are declared here because `wrangler types` cannot see them.
 */
import type { Principal } from "./access/principal";

declare global {
  namespace Cloudflare {
    interface Env {
      /** The Google service-account key file (JSON) the Worker signs its token requests with. */
      GOOGLE_SERVICE_ACCOUNT?: string;
      /** Several key files as one JSON array (a country's reads spread over accounts); used instead of the one. */
      GOOGLE_SERVICE_ACCOUNTS?: string;
    }
  }
}

export type AppEnv = {
  Bindings: Env;
  Variables: { principal: Principal };
};
