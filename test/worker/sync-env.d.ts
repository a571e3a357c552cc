declare namespace Cloudflare {
  interface Env {
    /** `../shared/examples` as file name → content (empty when the folder is absent). */
    TEST_EXAMPLES: Record<string, string>;
    /** Three service accounts the stand-in knows, as `GOOGLE_SERVICE_ACCOUNTS` holds them. */
    TEST_SERVICE_ACCOUNTS: string;
  }
}
