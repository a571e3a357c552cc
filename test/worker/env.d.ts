declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    TEST_CATALOG_CSV: string;
    /** ../shared/spec/model-types.csv: the default catalog of model kinds (PRODUCT.md §15). */
    TEST_MODEL_TYPES_CSV: string;
    /** test/fixtures/sources-excel.xlsx, in base64: a sources list laid out as Excel saves it. */
    TEST_SOURCES_XLSX: string;
    TEST_STANDIN_URL: string;
  }
}
