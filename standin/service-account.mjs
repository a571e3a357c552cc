// @ts-check
/** A local service-account key pair, in the shape of a Google key file, for the stand-in and the Worker to share. */
import { generateKeyPairSync } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

const LOCAL_SERVICE_ACCOUNT_EMAIL = "antq-sync@local-standin.iam.gserviceaccount.com";

/** @typedef {{ type: string, project_id: string, client_email: string, private_key: string, public_key: string }} LocalServiceAccount */

/** @param {string} [email] @returns {LocalServiceAccount} */
export function createServiceAccount(email = LOCAL_SERVICE_ACCOUNT_EMAIL) {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  // A key file names its Cloud project; the email's domain carries the same id.
  const project_id = /@([^.]+)\./.exec(email)?.[1] ?? "local-standin";
  return { type: "service_account", project_id, client_email: email, private_key: privateKey, public_key: publicKey };
}

/** The key file at `path`, created on first use. @param {string} path @param {string} [email] @returns {Promise<LocalServiceAccount>} */
export async function loadOrCreateServiceAccount(path, email) {
  try {
    return JSON.parse(await readFile(path, "utf8"));
  } catch {
    const account = createServiceAccount(email);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, JSON.stringify(account, null, 2), { mode: 0o600 });
    return account;
  }
}

/** What the Worker's GOOGLE_SERVICE_ACCOUNT secret holds: the key file without the public half. @param {LocalServiceAccount} account */
export function workerSecret(account) {
  return JSON.stringify({
    type: account.type,
    project_id: account.project_id,
    client_email: account.client_email,
    private_key: account.private_key,
  });
}
