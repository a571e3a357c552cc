/** API tokens for scripts: a random secret shown once; only its SHA-256 is stored. */
const PREFIX = "antq_";

export function newTokenSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return PREFIX + btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Only strings shaped like our secrets are hashed and looked up. */
export function looksLikeTokenSecret(value: string): boolean {
  return value.startsWith(PREFIX) && /^[A-Za-z0-9_-]{40,60}$/.test(value.slice(PREFIX.length));
}

export async function hashTokenSecret(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(secret));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
