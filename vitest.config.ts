/**
 * `npm test`: the Worker's tests run inside workerd with real local D1 (vitest-pool-workers); the Node parts
 * (stand-in, demo, tooling) run in plain Node. The Google stand-in is started once for the Worker's tests.
 * @see https://developers.cloudflare.com/workers/testing/vitest-integration/
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

const migrations = await readD1Migrations("./migrations");

/** The shared example folder (PRODUCT.md §8) as name → content, for the sync test that reads it; empty when absent. */
function exampleFiles(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => /\.(json|csv)$/.test(f))
      .map((f) => [f, readFileSync(`${dir}/${f}`, "utf8")]),
  );
}

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            main: "./worker/index.ts",
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: migrations,
                TEST_CATALOG_CSV: readFileSync("./catalog/indicators.csv", "utf8"),
                // The default catalog of model kinds is the product's data, read where the spec keeps it.
                TEST_MODEL_TYPES_CSV: readFileSync("../shared/spec/model-types.csv", "utf8"),
                TEST_SOURCES_XLSX: readFileSync("./test/fixtures/sources-excel.xlsx").toString("base64"),
                TEST_EXAMPLES: exampleFiles("../shared/examples"),
                TEST_STANDIN_URL: inject("standinUrl"),
                TEST_ACCESS_URL: inject("accessTeamUrl"),
                ENVIRONMENT: "test",
                DEV_MODE: "true",
                GOOGLE_SHEETS_URL: inject("standinUrl"),
                GOOGLE_DRIVE_URL: inject("standinUrl"),
                GOOGLE_TOKEN_URL: `${inject("standinUrl")}/token`,
                GOOGLE_READS_PER_MINUTE: "0",
                GOOGLE_PROJECT_READS_PER_MINUTE: "0",
                // The stand-in has no write quota either; the pacing itself is tested with its own settings.
                GOOGLE_WRITES_PER_MINUTE: "0",
                GOOGLE_SERVICE_ACCOUNT: inject("serviceAccountSecret"),
                TEST_SERVICE_ACCOUNTS: inject("serviceAccountsSecret"),
                // Tests sync many times in a row; the rate limit itself is tested with its own setting.
                SYNC_MANUAL_INTERVAL_SECONDS: "0",
              },
            },
          })),
        ],
        test: {
          name: "worker",
          include: ["test/worker/**/*.test.ts"],
          globalSetup: ["./test/support/standin-setup.ts", "./test/support/access-jwks-setup.ts"],
          setupFiles: ["./test/worker/setup.ts"],
          // One D1 database serves every file: files run one after another.
          fileParallelism: false,
        },
      },
      {
        test: { name: "node", include: ["test/node/**/*.test.ts"], environment: "node" },
      },
    ],
  },
});
