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
  }
}

export default async function setup(project: TestProject) {
  const dir = await mkdtemp(join(tmpdir(), "antq-sheets-"));
  const account = createServiceAccount();
  const standin = await startStandin({ dir, serviceAccounts: { [account.client_email]: account.public_key } });
  project.provide("standinUrl", standin.url);
  project.provide("serviceAccountSecret", workerSecret(account));
  return async () => {
    await standin.close();
    await rm(dir, { recursive: true, force: true });
  };
}
