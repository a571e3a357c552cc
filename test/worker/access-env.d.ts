declare namespace Cloudflare {
  interface Env {
    /** The test server standing in for a Cloudflare Access team domain (test/support/access-jwks-setup.ts). */
    TEST_ACCESS_URL: string;
  }
}
