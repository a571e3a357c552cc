/**
 * “Bảng tính”: register a sheet from its URL (read before anything is saved: a refusal says why beside the field, and
 * a sheet naming another commune asks to be confirmed) or many from a sources file; then every registered sheet with
 * its status and cause in plain words, searchable and paged; read one again, stop reading one after asking.
 */
import { useState } from "preact/hooks";
import { formatExact } from "../../../../domain/numbers";
import { formatDateTime } from "../../../../domain/time";
import { type AdminUnit, deactivateSheet, fetchSources, readSheetAgain, registerSheet, type Source } from "../../api";
import { navigate, tick, useLoad } from "../../state";
import { FileImport } from "./FileImport";
import {
  AdminTable,
  ConfirmDialog,
  Field,
  FormAlert,
  folded,
  invalid,
  Notice,
  type NoticeText,
  UnitOptions,
  useRowAction,
  useSubmit,
} from "./form";

type Filter = "all" | "error" | "unread" | "ok";
const FILTERS: [Filter, string][] = [
  ["all", "Tất cả"],
  ["error", "Lỗi"],
  ["unread", "Chưa đọc"],
  ["ok", "Đã đọc"],
];
const PAGE_SIZE = 50;

function statusOf(s: Source): Exclude<Filter, "all"> {
  if (s.lastStatus === "error") return "error";
  return s.lastCheckedAt === null ? "unread" : "ok";
}

const STATUS_WORDS = { error: "Lỗi", unread: "Chưa đọc", ok: "Đã đọc" } as const;

const matches = (s: Source, query: string) =>
  [s.unitName ?? "", s.unitCode, s.title ?? "", s.spreadsheetId].some((t) => folded(t).includes(query));

/** A sheet as a person names it: its title, and the commune it belongs to. */
const sheetName = (s: Source) => `${s.title ? `bảng tính “${s.title}”` : "bảng tính"} của ${s.unitName ?? s.unitCode}`;

type Registration = Parameters<typeof registerSheet>[0];

function RegisterForm({ units, onDone }: { units: AdminUnit[]; onDone: (answer: RegisterAnswer) => void }) {
  const [sheet, setSheet] = useState("");
  const [layout, setLayout] = useState<"form" | "table">("form");
  const [unitCode, setUnitCode] = useState("");
  /** The registration the API asked to confirm: “Vẫn đăng ký” sends it again, confirmed. */
  const [asked, setAsked] = useState<Registration | null>(null);
  const { busy, error, setError, run } = useSubmit();

  const send = (json: Registration) =>
    run(async () => {
      setAsked(json);
      const answer = await registerSheet(json);
      setAsked(null);
      onDone(answer);
      setSheet("");
    });
  /** Anything changed after a question was asked makes it a new registration, checked again. */
  const changed = () => {
    setAsked(null);
    if (error?.field === "confirm") setError(null);
  };
  const submit = (e: Event) => {
    e.preventDefault();
    if (!sheet.trim())
      return setError({
        field: "sheet",
        message: "Dán đường dẫn bảng tính (sao chép từ thanh địa chỉ của trình duyệt)",
      });
    if (!unitCode) return setError({ field: "unitCode", message: "Chọn đơn vị của bảng tính" });
    send({ sheet: sheet.trim(), unitCode, layout, confirm: false });
  };
  const confirming = error?.field === "confirm" && asked !== null;
  return (
    <form class="admin-form" onSubmit={submit} noValidate>
      <h2>Đăng ký một bảng tính</h2>
      <Field
        id="sheet"
        label="Đường dẫn bảng tính"
        error={error}
        hint="Bảng tính được đọc thử trước khi lưu; không đọc được thì chưa lưu gì."
      >
        <input
          id="sheet"
          type="url"
          value={sheet}
          onInput={(e) => {
            setSheet(e.currentTarget.value);
            changed();
          }}
          placeholder="https://docs.google.com/spreadsheets/d/…/edit#gid=0"
          {...invalid(error, "sheet")}
        />
      </Field>
      <Field id="layout" label="Kiểu biểu" error={error}>
        <select
          id="layout"
          value={layout}
          onChange={(e) => {
            setLayout(e.currentTarget.value as "form" | "table");
            setUnitCode("");
            changed();
          }}
        >
          <option value="form">Biểu của xã</option>
          <option value="table">Bảng tổng hợp</option>
        </select>
      </Field>
      <Field id="unitCode" label="Đơn vị" error={error}>
        <select
          id="unitCode"
          value={unitCode}
          onChange={(e) => {
            setUnitCode(e.currentTarget.value);
            changed();
          }}
          {...invalid(error, "unitCode")}
        >
          <UnitOptions
            units={units}
            level={layout === "form" ? "commune" : "province"}
            none={`— Chọn ${layout === "form" ? "xã, phường, đặc khu" : "tỉnh"} —`}
          />
        </select>
      </Field>
      <FormAlert error={error} fields={["sheet", "unitCode", "confirm"]} />
      {confirming && error && (
        <div class="confirm-needed" role="alert">
          <p>{error.message}</p>
          <p class="actions">
            <button type="button" class="primary" disabled={busy} onClick={() => send({ ...asked, confirm: true })}>
              Vẫn đăng ký
            </button>
            <button type="button" disabled={busy} onClick={changed}>
              Thôi
            </button>
          </p>
        </div>
      )}
      {!confirming && (
        <button type="submit" disabled={busy}>
          {busy ? "Đang đọc bảng tính…" : "Đăng ký bảng tính"}
        </button>
      )}
    </form>
  );
}

type RegisterAnswer = Awaited<ReturnType<typeof registerSheet>>;

/** What became of a sheet after it was read: what it gave, or its cause when it could not be read. */
function outcome(s: Source, run: { valuesWritten: number; issuesFound: number } | null, warnings: string[] = []) {
  const name = s.unitName ?? s.unitCode;
  if (s.lastStatus === "error") return { ok: false, text: `${name}: ${s.lastError ?? "không đọc được bảng tính"}` };
  const found =
    run && run.issuesFound > 0 ? ` Có ${formatExact(run.issuesFound)} ô cần xem lại ở trang Chất lượng số liệu.` : "";
  return {
    ok: true,
    text: [`${name}: đã đọc bảng tính${s.title ? ` “${s.title}”` : ""}.${found}`, ...warnings].join(" "),
  };
}

export function SheetsPage({ unit, units }: { unit: string; units: AdminUnit[] }) {
  const sources = useLoad(() => fetchSources(unit), `admin-sources|${unit}`);
  const [filter, setFilter] = useState<Filter>("all");
  const [query, setQuery] = useState("");
  const [page, setPage] = useState(0);
  const [stopping, setStopping] = useState<Source | null>(null);
  const { busy, notice, setNotice, run } = useRowAction<number>();
  const all = sources.data?.sources ?? [];
  const provinces = units.filter((u) => u.parentCode === null);
  const q = folded(query.trim());
  const found = q ? all.filter((s) => matches(s, q)) : all;
  const shown = found.filter((s) => filter === "all" || statusOf(s) === filter);
  const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const onPage = shown.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE);

  const readAgain = (s: Source) =>
    run(s.id, async (): Promise<NoticeText> => {
      const answer = await readSheetAgain(s.id);
      const read = outcome(answer.source, answer.run);
      return s.active ? read : { ...read, text: `${read.text} Từ nay bảng tính lại được đọc ở mỗi lần đồng bộ.` };
    });
  const stop = (s: Source) =>
    run(s.id, async (): Promise<NoticeText> => {
      await deactivateSheet(s.id);
      return { ok: true, text: `Đã ngừng đọc ${sheetName(s)}. Số liệu đã đọc vẫn giữ; bấm “Đọc lại” để đọc tiếp.` };
    });

  return (
    <>
      {provinces.length > 1 && (
        <p class="field">
          <label for="sheets-of">Xem bảng tính của</label>
          <select id="sheets-of" value={unit} onChange={(e) => navigate({ unit: e.currentTarget.value }, true)}>
            <option value="VN">Cả nước</option>
            {provinces.map((p) => (
              <option key={p.code} value={p.code}>
                {p.name}
              </option>
            ))}
          </select>
        </p>
      )}
      <RegisterForm
        units={units}
        onDone={(answer) => {
          setNotice(outcome(answer.source, answer.run, answer.warnings));
          tick.value++;
        }}
      />
      <Notice notice={notice} />
      <section class="admin-form sheets-import" aria-labelledby="sheets-import-title">
        <h2 id="sheets-import-title">Nhập nhiều bảng tính từ tệp</h2>
        <p class="muted">
          Các cột: <code>unit_code,sheet,tab,layout</code> — mã đơn vị, đường dẫn bảng tính, tên trang (có thể trống),
          form (biểu của xã) hoặc table (bảng tổng hợp).
        </p>
        <FileImport
          kind="sources"
          id="sources-file"
          label="Tệp danh sách bảng tính"
          rowWord="bảng tính"
          next="Các bảng tính được đọc ở lần đồng bộ tới; muốn đọc ngay, bấm “Đồng bộ ngay” ở trang Đồng bộ."
        />
      </section>
      <h2>Các bảng tính đã đăng ký</h2>
      <div class="field sheets-search">
        <label for="sheets-search">Tìm bảng tính</label>
        <input
          id="sheets-search"
          type="search"
          value={query}
          placeholder="Tên xã, mã xã hoặc tên bảng tính"
          onInput={(e) => {
            setQuery(e.currentTarget.value);
            setPage(0);
          }}
        />
      </div>
      <fieldset class="filters" aria-label="Lọc theo trạng thái">
        {FILTERS.map(([f, label]) => (
          <button
            key={f}
            type="button"
            aria-pressed={filter === f}
            onClick={() => {
              setFilter(f);
              setPage(0);
            }}
          >
            {label} ({formatExact(f === "all" ? found.length : found.filter((s) => statusOf(s) === f).length)})
          </button>
        ))}
      </fieldset>
      <AdminTable
        state={sources}
        what="danh sách bảng tính"
        empty={q ? `Không có bảng tính nào khớp “${query.trim()}”.` : "Không có bảng tính nào."}
        rows={onPage.length}
        class="admin-sheets"
        columns={["Đơn vị", "Trạng thái", "Đọc lần cuối", "Thao tác"]}
      >
        {onPage.map((s) => (
          <tr key={s.id} data-source={s.id} class={statusOf(s)}>
            <th scope="row">
              {s.unitName ?? s.unitCode}
              <span class="muted"> · {s.layout === "table" ? "Bảng tổng hợp" : "Biểu của xã"}</span>
              {!s.active && <span class="tag">Đã ngừng đọc</span>}
              <br />
              {s.title && <span class="sheet-title">{s.title} · </span>}
              <a href={s.url} target="_blank" rel="noopener noreferrer">
                Mở trang tính
              </a>
              {s.serviceAccount && (
                <span class="muted sheet-account"> · chia sẻ (Người xem) cho {s.serviceAccount}</span>
              )}
            </th>
            <td data-label="Trạng thái">
              <strong class="sheet-status">{STATUS_WORDS[statusOf(s)]}</strong>
              {s.lastError && <span class="sheet-cause"> — {s.lastError}</span>}
              {s.feedback && (
                <span class={`sheet-feedback ${s.feedback.status}`}>
                  <br />
                  {s.feedback.message}
                </span>
              )}
            </td>
            <td data-label="Đọc lần cuối">{s.lastCheckedAt ? formatDateTime(s.lastCheckedAt) : "—"}</td>
            <td data-label="Thao tác" class="actions">
              <button
                type="button"
                aria-label={`Đọc lại ${sheetName(s)}`}
                disabled={busy === s.id}
                onClick={() => readAgain(s)}
              >
                Đọc lại
              </button>
              {s.active && (
                <button
                  type="button"
                  aria-label={`Ngừng đọc ${sheetName(s)}`}
                  disabled={busy === s.id}
                  onClick={() => setStopping(s)}
                >
                  Ngừng đọc
                </button>
              )}
            </td>
          </tr>
        ))}
      </AdminTable>
      {shown.length > PAGE_SIZE && (
        <nav class="pager" aria-label="Các trang bảng tính">
          <button type="button" disabled={current === 0} onClick={() => setPage(current - 1)}>
            Trang trước
          </button>
          <span>
            {formatExact(current * PAGE_SIZE + 1)}–{formatExact(current * PAGE_SIZE + onPage.length)} trong{" "}
            {formatExact(shown.length)} bảng tính · trang {formatExact(current + 1)}/{formatExact(pages)}
          </span>
          <button type="button" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
            Trang sau
          </button>
        </nav>
      )}
      {stopping && (
        <ConfirmDialog
          question={`Ngừng đọc ${sheetName(stopping)}?`}
          detail="Các lần đồng bộ sau không đọc bảng tính này nữa; số liệu đã đọc vẫn giữ. Muốn đọc tiếp, bấm “Đọc lại”."
          confirm="Ngừng đọc"
          onConfirm={() => {
            stop(stopping);
            setStopping(null);
          }}
          onCancel={() => setStopping(null)}
        />
      )}
    </>
  );
}
