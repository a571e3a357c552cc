declare namespace Cloudflare {
  interface Env {
    /** `../shared/examples` as file name → content (empty when the folder is absent). */
    TEST_EXAMPLES: Record<string, string>;
  }
}
