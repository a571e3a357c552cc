/** The stand-in speaks Google's wire format: the Worker's client is tested against it, so it must be right. */
import { createSign } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { sheets_v4 } from "googleapis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Standin, startStandin } from "../../standin/server.mjs";
import { createServiceAccount } from "../../standin/service-account.mjs";
import type { GoogleError } from "./google-refusal";

/** The token endpoint's answers: a bearer token, or an OAuth error. */
type TokenAnswer = { access_token: string; expires_in: number; token_type: string };
type TokenRefusal = { error: string; error_description: string };
type ErrorAnswer = { error: GoogleError };

const account = createServiceAccount();
let dir: string;
let standin: Standin;

function assertion(claims: Record<string, unknown>, key = account.private_key, alg = "RS256") {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const unsigned = `${enc({ alg, typ: "JWT" })}.${enc(claims)}`;
  const signature = createSign("RSA-SHA256").update(unsigned).sign(key).toString("base64url");
  return `${unsigned}.${signature}`;
}

const goodClaims = () => {
  const iat = Math.floor(Date.now() / 1000);
  return {
    iss: account.client_email,
    scope:
      "https://www.googleapis.com/auth/spreadsheets.readonly https://www.googleapis.com/auth/drive.metadata.readonly",
    aud: "https://oauth2.googleapis.com/token",
    iat,
    exp: iat + 3600,
  };
};

async function token(jwt: string) {
  return fetch(`${standin.url}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion: jwt }),
  });
}

async function authed(path: string) {
  const { access_token } = (await (await token(assertion(goodClaims()))).json()) as TokenAnswer;
  return fetch(`${standin.url}${path}`, { headers: { authorization: `Bearer ${access_token}` } });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "standin-test-"));
  const sheet = {
    properties: { title: "Biểu xã", locale: "vi_VN", timeZone: "Asia/Ho_Chi_Minh" },
    modifiedTime: "2026-01-20T03:15:00Z",
    version: "412",
    access: "ok",
    sheets: [
      {
        properties: { sheetId: 0, title: "Năm 2025" },
        values: [["Tiêu đề"], [], ["Chỉ tiêu", "Năm 2025", null, ""], ["Số tổ", 12]],
      },
      { properties: { sheetId: 77, title: "Ghi chú" }, values: [] },
    ],
  };
  await writeFile(join(dir, "sheet-a.json"), JSON.stringify(sheet));
  await writeFile(join(dir, "sheet-denied.json"), JSON.stringify({ ...sheet, access: "forbidden" }));
  await writeFile(
    join(dir, "sheet-flaky.json"),
    JSON.stringify({ ...sheet, faults: [{ status: 429, retryAfter: 2 }, 500] }),
  );
  standin = await startStandin({ dir, serviceAccounts: { [account.client_email]: account.public_key } });
});
afterAll(async () => {
  await standin.close();
  await rm(dir, { recursive: true, force: true });
});

describe("token endpoint", () => {
  it("grants a bearer token for an assertion signed by the service account's key", async () => {
    const res = await token(assertion(goodClaims()));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      access_token: expect.any(String),
      expires_in: 3599,
      token_type: "Bearer",
    });
  });

  it.each([
    ["signed by another key", () => assertion(goodClaims(), createServiceAccount().private_key)],
    ["for another audience", () => assertion({ ...goodClaims(), aud: "https://example.com" })],
    ["expired", () => assertion({ ...goodClaims(), iat: 1_000_000, exp: 1_003_600 })],
    ["not signed", () => `${assertion(goodClaims()).split(".").slice(0, 2).join(".")}.`],
  ])("refuses an assertion %s with invalid_grant", async (_, make) => {
    const res = await token(make());
    expect(res.status).toBe(400);
    expect(((await res.json()) as TokenRefusal).error).toBe("invalid_grant");
  });
});

describe("Sheets and Drive reads", () => {
  it("answers 401 UNAUTHENTICATED without a token", async () => {
    const res = await fetch(`${standin.url}/v4/spreadsheets/sheet-a`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as ErrorAnswer).error.status).toBe("UNAUTHENTICATED");
  });

  it("gives Drive's version as a string and modifiedTime in RFC 3339", async () => {
    const res = await authed("/drive/v3/files/sheet-a?fields=modifiedTime,version&supportsAllDrives=true");
    expect(await res.json()).toEqual({ modifiedTime: "2026-01-20T03:15:00.000Z", version: "412" });
  });

  it("lists tabs with their gid and the locale", async () => {
    const body = (await (
      await authed(
        "/v4/spreadsheets/sheet-a?fields=properties(title,locale,timeZone),sheets.properties(sheetId,title,index,hidden)",
      )
    ).json()) as sheets_v4.Schema$Spreadsheet;
    expect(body.properties?.locale).toBe("vi_VN");
    expect(body.sheets?.map((s) => s.properties)).toEqual([
      { sheetId: 0, title: "Năm 2025", index: 0 },
      { sheetId: 77, title: "Ghi chú", index: 1 },
    ]);
  });

  it("returns ranges in request order, rows ragged and trimmed, `values` absent for an empty range", async () => {
    const q = new URLSearchParams([
      ["ranges", "'Năm 2025'"],
      ["ranges", "'Ghi chú'!A1:Z1000"],
      ["ranges", "'Năm 2025'!A3:B4"],
      ["valueRenderOption", "UNFORMATTED_VALUE"],
    ]);
    const body = (await (
      await authed(`/v4/spreadsheets/sheet-a/values:batchGet?${q}`)
    ).json()) as sheets_v4.Schema$BatchGetValuesResponse;
    expect(body.valueRanges).toEqual([
      {
        range: "'Năm 2025'!A1:D4",
        majorDimension: "ROWS",
        values: [["Tiêu đề"], [], ["Chỉ tiêu", "Năm 2025"], ["Số tổ", 12]],
      },
      { range: "'Ghi chú'!A1:Z1000", majorDimension: "ROWS" },
      {
        range: "'Năm 2025'!A3:B4",
        majorDimension: "ROWS",
        values: [
          ["Chỉ tiêu", "Năm 2025"],
          ["Số tổ", 12],
        ],
      },
    ]);
  });

  it("answers a tab that does not exist with 400 INVALID_ARGUMENT “Unable to parse range”", async () => {
    const res = await authed(`/v4/spreadsheets/sheet-a/values:batchGet?ranges=${encodeURIComponent("'Năm 2030'")}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { code: 400, message: "Unable to parse range: 'Năm 2030'", status: "INVALID_ARGUMENT" },
    });
  });

  it("answers a sheet not shared with 403 PERMISSION_DENIED and an unknown one with 404 NOT_FOUND", async () => {
    const denied = await authed("/v4/spreadsheets/sheet-denied");
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as ErrorAnswer).error).toEqual({
      code: 403,
      message: "The caller does not have permission",
      status: "PERMISSION_DENIED",
    });
    const missing = await authed("/v4/spreadsheets/no-such-sheet");
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ErrorAnswer).error.status).toBe("NOT_FOUND");
  });

  it("serves a fixture's faults in order, with Retry-After, then answers normally", async () => {
    const first = await authed("/drive/v3/files/sheet-flaky?fields=version");
    expect([first.status, first.headers.get("retry-after")]).toEqual([429, "2"]);
    expect(((await first.json()) as ErrorAnswer).error.errors?.[0]?.reason).toBe("rateLimitExceeded");
    expect((await authed("/drive/v3/files/sheet-flaky?fields=version")).status).toBe(500);
    const ok = await authed("/drive/v3/files/sheet-flaky?fields=version");
    expect(await ok.json()).toEqual({ version: "412" });
  });
});
