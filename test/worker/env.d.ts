declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    TEST_CATALOG_CSV: string;
    TEST_STANDIN_URL: string;
  }
}
