/**
 * A stand-in for a Cloudflare Access team domain in the Worker's tests: it serves whatever JWKS a test PUTs at
 * `/cdn-cgi/access/certs`, the path the Worker fetches in production. The keys themselves are made in the tests.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    accessTeamUrl: string;
  }
}

export default async function setup(project: TestProject) {
  let jwks = JSON.stringify({ keys: [] });
  let fetches = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.method === "GET" && req.url === "/cdn-cgi/access/certs") {
        fetches++;
        res.writeHead(200, { "content-type": "application/json" }).end(jwks);
      } else if (req.method === "PUT" && req.url === "/__keys") {
        jwks = Buffer.concat(chunks).toString("utf8");
        res.writeHead(204).end();
      } else if (req.method === "GET" && req.url === "/__fetches") {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ fetches }));
      } else {
        res.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  project.provide("accessTeamUrl", `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
