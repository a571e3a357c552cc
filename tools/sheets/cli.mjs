#!/usr/bin/env node
// @ts-check
/**
 * `npm run sheets -- <template|provision|check> [options]`: the administrator's tool for the communes' Google
 * Sheets, on Google's own Node client. See README “Provisioning the communes' sheets”.
 */
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { accountIndexFor, sortedEmails } from "../../worker/google/rendezvous.mjs";
import { checkSources, checkTable, formatTable, sourcesFromCsv, sourcesFromWorker } from "./check.mjs";
import { isPeriodCode, readCatalog, readCommunes, readCsvFile, readEmails, sheetUrl, toCsv } from "./data.mjs";
import { connect, readKeys } from "./google.mjs";
import { provision } from "./provision.mjs";
import { ensureTemplate } from "./template.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const DEFAULT_UNITS = resolve(ROOT, "..", "shared", "data", "admin-units-2025-07-01.csv");
const DEFAULT_MODEL_TYPES = resolve(ROOT, "..", "shared", "spec", "model-types.csv");

const USAGE = `Cách dùng: npm run sheets -- <lệnh> [tùy chọn]

Lệnh:
  template  --period 2025                         tạo (hoặc tìm lại) mẫu biểu xã cho một kỳ
  provision --province 25 --period 2025           mỗi xã một bảng tính từ mẫu biểu, chia sẻ, đăng ký vào Worker
            [--units <csv>] [--emails <csv>] [--service-account <email,…> | --service-account-key <json>]
            mỗi bảng tính chia sẻ cho tài khoản dịch vụ đọc nó (nhiều tài khoản: email cách nhau bởi dấu
            phẩy, hoặc tệp khóa là danh sách GOOGLE_SERVICE_ACCOUNTS)
            [--worker <url>] [--api-token <token>] [--out sources.csv] [--folder <id Drive>] [--notify]
            [--feedback]  chia sẻ quyền Người chỉnh sửa cho tài khoản dịch vụ và tạo trang “Kiểm tra số liệu”
                          (được khóa) để Worker ghi kết quả kiểm tra vào (SHEETS_FEEDBACK=true)
  check     [--worker <url> [--unit <mã>] | --sources <csv>] [--units <csv>] [--csv <tệp>] [--strict]
            kiểm tra từng nguồn bằng khóa của tài khoản dịch vụ đọc nó (--key: một khóa, hoặc tệp danh
            sách khóa GOOGLE_SERVICE_ACCOUNTS)

Chung:
  --key <json>              khóa tài khoản dịch vụ (mặc định GOOGLE_APPLICATION_CREDENTIALS)
  --subject <email>         thay mặt một người dùng Workspace (ủy quyền toàn miền)
  --catalog <csv>           danh mục chỉ tiêu (mặc định catalog/indicators.csv)
  --model-types <csv>       danh mục loại mô hình cho trang “Mô hình” của mẫu biểu
                            (mặc định ../shared/spec/model-types.csv nếu có)
  --reads-per-minute 55     --writes-per-minute 55   (0 = không giãn nhịp)   --retries 7
  --google <url> --token-url <url>   máy chủ Google thay thế (stand-in cục bộ)
Biến môi trường: ANTQ_WORKER_URL, ANTQ_API_TOKEN.`;

/**
 * Runs one command; returns the exit code. Output goes to the given streams so tests can run it in-process.
 * @param {string[]} argv @param {{ out?: (s: string) => void, err?: (s: string) => void, env?: NodeJS.ProcessEnv }} [io]
 */
export async function main(argv, io = {}) {
  const out = io.out ?? ((s) => process.stdout.write(`${s}\n`));
  const err = io.err ?? ((s) => process.stderr.write(`${s}\n`));
  const env = io.env ?? process.env;
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        key: { type: "string" },
        subject: { type: "string" },
        catalog: { type: "string" },
        "model-types": { type: "string" },
        google: { type: "string" },
        "token-url": { type: "string" },
        "reads-per-minute": { type: "string" },
        "writes-per-minute": { type: "string" },
        "retry-base-ms": { type: "string" },
        retries: { type: "string" },
        period: { type: "string" },
        province: { type: "string" },
        units: { type: "string" },
        emails: { type: "string" },
        "service-account": { type: "string" },
        "service-account-key": { type: "string" },
        worker: { type: "string" },
        "api-token": { type: "string" },
        out: { type: "string" },
        folder: { type: "string" },
        notify: { type: "boolean" },
        feedback: { type: "boolean" },
        sources: { type: "string" },
        csv: { type: "string" },
        strict: { type: "boolean" },
        unit: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    err(`${/** @type {Error} */ (e).message}\n\n${USAGE}`);
    return 1;
  }
  const o = parsed.values;
  const command = parsed.positionals[0];
  if (o.help || !command || !["template", "provision", "check"].includes(command)) {
    (o.help ? out : err)(USAGE);
    return o.help ? 0 : 1;
  }
  try {
    const keyFile = o.key ?? env.GOOGLE_APPLICATION_CREDENTIALS;
    if (!keyFile)
      throw new Error("Thiếu khóa tài khoản dịch vụ: --key <tệp .json> (hoặc GOOGLE_APPLICATION_CREDENTIALS)");
    const number = (/** @type {string | undefined} */ v, /** @type {string} */ name) => {
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} phải là số không âm`);
      return n;
    };
    const keys = command === "check" ? await readKeys(keyFile) : [undefined];
    const connectAs = (/** @type {{ client_email?: string, private_key?: string } | undefined} */ key) =>
      connect({
        keyFile,
        key,
        subject: o.subject,
        rootUrl: o.google ?? env.GOOGLE_ROOT_URL,
        tokenUrl: o["token-url"] ?? env.GOOGLE_TOKEN_URL,
        readsPerMinute: number(o["reads-per-minute"], "reads-per-minute"),
        writesPerMinute: number(o["writes-per-minute"], "writes-per-minute"),
        retryBaseMs: number(o["retry-base-ms"], "retry-base-ms"),
        retries: number(o.retries, "retries"),
        log: err,
      });
    const apis = await Promise.all(keys.map(connectAs));
    const api = /** @type {import("./google.mjs").GoogleApi} */ (apis[0]);
    const worker = o.worker ?? env.ANTQ_WORKER_URL;
    const apiToken = o["api-token"] ?? env.ANTQ_API_TOKEN;
    const catalog = o.catalog ?? join(ROOT, "catalog", "indicators.csv");
    const modelTypes = o["model-types"] ?? (existsSync(DEFAULT_MODEL_TYPES) ? DEFAULT_MODEL_TYPES : null);

    if (command === "template" || command === "provision") {
      const period = o.period ?? "";
      if (!isPeriodCode(period))
        throw new Error(`--period “${period}” không hợp lệ (vd. 2025, 2025-H1, 2025-Q3, 2025-M08)`);
      const indicators = await readCatalog(catalog);
      if (!indicators.length) throw new Error(`Danh mục ${catalog} không có chỉ tiêu nào`);
      const modelKinds = modelTypes ? (await readCsvFile(modelTypes)).map((r) => r.label_vi ?? "").filter(Boolean) : [];
      if (command === "template") {
        const t = await ensureTemplate(api, { period, indicators, modelKinds });
        out(
          `${t.created ? "Đã tạo" : "Đã có"} mẫu biểu: ${sheetUrl(t.id, t.gid)} (${indicators.length} chỉ tiêu, trang “${t.tab}”)`,
        );
        return 0;
      }
      const province = o.province ?? "";
      if (!/^\d{2}$/.test(province)) throw new Error(`--province “${province}” phải là mã tỉnh 2 chữ số (vd. 25)`);
      const unitsFile = o.units ?? (existsSync(DEFAULT_UNITS) ? DEFAULT_UNITS : null);
      if (!unitsFile) throw new Error(`Thiếu danh sách đơn vị hành chính: --units <csv> (${DEFAULT_UNITS} không có)`);
      const { province: provinceUnit, communes } = await readCommunes(unitsFile, province);
      if (!communes.length) throw new Error(`Tỉnh ${province} không có xã/phường nào trong ${unitsFile}`);
      // The Worker's accounts: the sheets are spread over them as the Worker reads them.
      let given = (o["service-account"] ?? "")
        .split(",")
        .map((e) => e.trim())
        .filter(Boolean);
      if (!given.length && o["service-account-key"])
        given = (await readKeys(o["service-account-key"])).map((k) => k.client_email ?? "").filter(Boolean);
      if (!given.length)
        throw new Error(
          "Thiếu email tài khoản dịch vụ của Worker: --service-account <email> (hoặc --service-account-key <json>)",
        );
      const serviceAccounts = sortedEmails(given);
      const emails = o.emails ? await readEmails(o.emails) : new Map();
      if (!o.emails) err("Chưa có --emails: các bảng tính chưa được chia sẻ cho xã nào");
      out(
        `Cấp bảng tính cho ${communes.length} xã/phường của ${provinceUnit?.fullName ?? `tỉnh ${province}`}, kỳ ${period}…`,
      );
      const result = await provision(api, {
        province,
        period,
        communes,
        indicators,
        modelKinds,
        emails,
        serviceAccounts,
        folder: o.folder,
        notify: o.notify ?? false,
        feedback: o.feedback ?? false,
        out: resolve(o.out ?? "sources.csv"),
        worker,
        apiToken,
        log: out,
      });
      const created = result.sheets.filter((s) => s.created).length;
      const shares = result.sheets.reduce((n, s) => n + s.shared.length, 0);
      const noEmail = result.sheets.filter((s) => s.missingEmails);
      out(
        `Xong: ${created} bảng tính mới, ${result.sheets.length - created} đã có; ${shares} lượt chia sẻ mới; ${api.stats.requests} yêu cầu tới Google (${api.stats.retries} lần thử lại).`,
      );
      out(`Đã ghi ${result.sourcesCsv.file} (${result.sourcesCsv.rows} dòng).`);
      out(
        result.registered
          ? `Đã đăng ký ${result.registered.imported} nguồn vào Worker ${worker}.`
          : "Chưa đăng ký vào Worker (thiếu --worker): tải sources.csv lên trang quản trị hoặc chạy lại với --worker.",
      );
      if (noEmail.length)
        out(
          `${noEmail.length} xã chưa có email để chia sẻ: ${noEmail
            .slice(0, 10)
            .map((s) => `${s.unitCode} ${s.name}`)
            .join(", ")}${noEmail.length > 10 ? "…" : ""}`,
        );
      return 0;
    }

    // check
    /** @type {Map<string, string>} */
    const names = new Map();
    if (o.units) for (const r of await readCsvFile(o.units)) names.set(r.code ?? "", r.full_name || r.name || "");
    const sources = o.sources
      ? sourcesFromCsv(await readFile(o.sources, "utf8"), names)
      : worker
        ? await sourcesFromWorker(worker, apiToken, o.unit)
        : null;
    if (!sources) throw new Error("Cần --worker <url> (nguồn đã đăng ký) hoặc --sources <sources.csv>");
    // Each source with the account that reads it: the one the Worker names, else the Worker's hash over the keys.
    const byEmail = new Map(apis.map((a) => [a.email.toLowerCase(), a]));
    const emails = sortedEmails(apis.map((a) => a.email));
    const apiFor = (/** @type {{ spreadsheetId: string, serviceAccount?: string | null }} */ s) =>
      byEmail.get((s.serviceAccount ?? "").toLowerCase()) ??
      byEmail.get((emails[accountIndexFor(emails, s.spreadsheetId)] ?? "").toLowerCase()) ??
      api;
    out(`Kiểm tra ${sources.length} nguồn bằng tài khoản ${emails.join(", ")}…`);
    const rows = await checkSources(apiFor, sources);
    const table = checkTable(rows);
    out(formatTable(table));
    if (o.csv) {
      await writeFile(o.csv, `\uFEFF${toCsv([table.head, ...table.body])}`);
      out(`Đã ghi bảng kiểm tra vào ${o.csv}`);
    }
    const todo = rows.filter((r) => r.action !== "Sẵn sàng");
    const unreadable = rows.filter((r) => !r.readable).length;
    out(
      `${rows.length - todo.length}/${rows.length} nguồn sẵn sàng; ${unreadable} không đọc được; ${todo.length - unreadable} cần sửa.`,
    );
    return o.strict && todo.length ? 2 : 0;
  } catch (e) {
    err(`Lỗi: ${/** @type {Error} */ (e).message}`);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.exitCode = await main(process.argv.slice(2));
}
