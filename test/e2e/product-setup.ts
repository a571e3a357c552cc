/** Starts the product once for the end-to-end tests: demo data generated afresh, a fresh local D1, one sync done. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { generateDemo } from "../../demo/generate.mjs";
import { startProduct } from "../../scripts/local-product.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    productUrl: string;
    fixturesDir: string;
  }
}

export default async function setup(project: TestProject) {
  const work = await mkdtemp(join(tmpdir(), "antq-e2e-"));
  const fixturesDir = join(work, "sheets");
  await generateDemo(fixturesDir);
  // The tests sync several times in a row; the manual-sync rate limit is for people, not for them.
  const product = await startProduct({ fixturesDir, stateDir: join(work, "state") });
  project.provide("productUrl", product.url);
  project.provide("fixturesDir", fixturesDir);
  return async () => {
    await product.stop();
    await rm(work, { recursive: true, force: true });
  };
}
