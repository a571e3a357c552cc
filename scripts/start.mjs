// @ts-check
/**
 * `npm start`: the dashboard on local demo data (or on `SHEETS_FIXTURES_DIR`), with local D1, the Google stand-in
 * and one sync done. Ctrl-C stops everything, workerd included.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { generateDemo } from "../demo/generate.mjs";
import { viNumber } from "../tools/sheets/data.mjs";
import { ROOT, startProduct } from "./local-product.mjs";

/** @type {{ stop: () => Promise<void> } | null} */
let product = null;
let stopping = false;
// Installed first: a signal while the product is still starting exits at once, and the exit takes wrangler along
// (local-product.mjs); once it runs, everything is stopped in order.
for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM", "SIGHUP"])) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    if (product) await product.stop();
    process.exit(0);
  });
}

const port = Number(process.env.PORT ?? 8787);
const fixturesDir = process.env.SHEETS_FIXTURES_DIR
  ? resolve(process.env.SHEETS_FIXTURES_DIR)
  : join(ROOT, ".local", "demo");
if (!process.env.SHEETS_FIXTURES_DIR && !existsSync(join(fixturesDir, "sources.csv"))) {
  const made = await generateDemo(fixturesDir);
  console.log(`Tạo dữ liệu mẫu: ${made.communes} xã, ${made.sources} bảng tính trong ${fixturesDir}`);
}

const started = await startProduct({ fixturesDir, port, log: (line) => console.log(line) }).catch((err) => {
  console.error(String(err?.message ?? err));
  process.exit(1);
});
product = started;
const run =
  /** @type {{ run?: { sourcesRead: number, sourcesFailed: number, valuesWritten: number, issuesFound: number } } | null} */ (
    started.firstSync
  )?.run;
if (run) {
  console.log(
    `Đồng bộ xong: ${viNumber(run.sourcesRead)} bảng tính đã đọc, ${viNumber(run.sourcesFailed)} lỗi, ${viNumber(run.valuesWritten)} số liệu, ${viNumber(run.issuesFound)} vấn đề cần xem`,
  );
}
console.log(`\nBảng điều khiển: ${started.url}/\nAPI: ${started.url}/api/summary\nNhấn Ctrl-C để dừng.`);
