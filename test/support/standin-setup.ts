/** Starts the Google stand-in over an empty temporary folder for the Worker's tests; tests PUT their sheets into it. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startStandin } from "../../standin/server.mjs";
import { createServiceAccount, workerSecret } from "../../standin/service-account.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    standinUrl: string;
    serviceAccountSecret: string;
    /** Three more accounts of one project, as `GOOGLE_SERVICE_ACCOUNTS` holds them (a JSON array of key files). */
    serviceAccountsSecret: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = await mkdtemp(join(tmpdir(), "antq-sheets-"));
  const account = createServiceAccount();
  const more = ["antq-read-1", "antq-read-2", "antq-read-3"].map((name) =>
    createServiceAccount(`${name}@local-standin.iam.gserviceaccount.com`),
  );
  const known = Object.fromEntries([account, ...more].map((a) => [a.client_email, a.public_key]));
  const standin = await startStandin({ dir, serviceAccounts: known });
  project.provide("standinUrl", standin.url);
  project.provide("serviceAccountSecret", workerSecret(account));
  project.provide("serviceAccountsSecret", `[${more.map(workerSecret).join(",")}]`);
  return async () => {
    await standin.close();
    await rm(dir, { recursive: true, force: true });
  };
}
