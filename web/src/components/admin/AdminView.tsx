/**
 * Administration in the browser (admins only; the API enforces it too): one page per task, reached by its tab.
 * “Bảng tính”: every registered sheet with its status and cause in plain words, filterable; register one from its URL
 * and see at once whether it can be read; read one again; stop reading one.
 */
import { useState } from "preact/hooks";
import { formatDateTime } from "../../../../domain/time";
import {
  ApiError,
  deactivateSheet,
  fetchAdminUnits,
  fetchSources,
  readSheetAgain,
  registerSheet,
  type Scope,
  type Source,
} from "../../api";
import { tick, useLoad } from "../../state";
import { Status } from "../common";

type Filter = "all" | "error" | "unread" | "ok";
const FILTERS: [Filter, string][] = [
  ["all", "Tất cả"],
  ["error", "Lỗi"],
  ["unread", "Chưa đọc"],
  ["ok", "Đã đọc"],
];

function statusOf(s: Source): Exclude<Filter, "all"> {
  if (s.lastStatus === "error") return "error";
  return s.lastCheckedAt === null ? "unread" : "ok";
}

const STATUS_WORDS = { error: "Lỗi", unread: "Chưa đọc", ok: "Đã đọc" } as const;

function RegisterForm({ scope, onDone }: { scope: Scope; onDone: (s: Source, warnings: string[]) => void }) {
  const units = useLoad(() => fetchAdminUnits(scope.unit), `units|${scope.unit}`);
  const [sheet, setSheet] = useState("");
  const [layout, setLayout] = useState<"form" | "table">("form");
  const [unitCode, setUnitCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ field: string | null; message: string } | null>(null);
  const choices = (units.data?.units ?? []).filter((u) =>
    layout === "form" ? u.parentCode !== null : u.parentCode === null,
  );

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    if (!sheet.trim())
      return setError({
        field: "sheet",
        message: "Dán đường dẫn bảng tính (sao chép từ thanh địa chỉ của trình duyệt)",
      });
    if (!unitCode) return setError({ field: "unitCode", message: "Chọn đơn vị của bảng tính" });
    setBusy(true);
    setError(null);
    try {
      const { source, warnings } = await registerSheet({ sheet: sheet.trim(), unitCode, layout });
      onDone(source, warnings);
      setSheet("");
    } catch (err) {
      setError({ field: err instanceof ApiError ? err.field : null, message: (err as Error).message });
    } finally {
      setBusy(false);
    }
  }
  const fieldError = (field: string) =>
    error?.field === field ? (
      <span id={`${field}-error`} class="field-error" role="alert">
        {error.message}
      </span>
    ) : null;
  return (
    <form class="admin-form" onSubmit={submit} noValidate>
      <h2>Đăng ký một bảng tính</h2>
      <div class="field">
        <label for="sheet">Đường dẫn bảng tính</label>
        <input
          id="sheet"
          type="url"
          value={sheet}
          onInput={(e) => setSheet(e.currentTarget.value)}
          placeholder="https://docs.google.com/spreadsheets/d/…/edit#gid=0"
          aria-invalid={error?.field === "sheet"}
          aria-describedby={error?.field === "sheet" ? "sheet-error" : undefined}
        />
        {fieldError("sheet")}
      </div>
      <div class="field">
        <label for="layout">Kiểu biểu</label>
        <select
          id="layout"
          value={layout}
          onChange={(e) => {
            setLayout(e.currentTarget.value as "form" | "table");
            setUnitCode("");
          }}
        >
          <option value="form">Biểu của xã</option>
          <option value="table">Bảng tổng hợp</option>
        </select>
      </div>
      <div class="field">
        <label for="unitCode">Đơn vị</label>
        <select
          id="unitCode"
          value={unitCode}
          onChange={(e) => setUnitCode(e.currentTarget.value)}
          aria-invalid={error?.field === "unitCode"}
          aria-describedby={error?.field === "unitCode" ? "unitCode-error" : undefined}
        >
          <option value="">— Chọn {layout === "form" ? "xã, phường, đặc khu" : "tỉnh"} —</option>
          {choices.map((u) => (
            <option key={u.code} value={u.code}>
              {u.name} ({u.code})
            </option>
          ))}
        </select>
        {fieldError("unitCode")}
      </div>
      {error && error.field !== "sheet" && error.field !== "unitCode" && (
        <p role="alert" class="error">
          {error.message}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {busy ? "Đang đọc bảng tính…" : "Đăng ký bảng tính"}
      </button>
    </form>
  );
}

function SheetsPage({ scope }: { scope: Scope }) {
  const sources = useLoad(() => fetchSources(scope.unit), `admin-sources|${scope.unit}`);
  const [filter, setFilter] = useState<Filter>("all");
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const all = sources.data?.sources ?? [];
  const shown = all.filter((s) => filter === "all" || statusOf(s) === filter);

  const report = (s: Source, warnings: string[] = []) => {
    const name = s.unitName ?? s.unitCode;
    setNotice(
      s.lastStatus === "error"
        ? { ok: false, text: `${name}: ${s.lastError ?? "không đọc được bảng tính"}` }
        : { ok: true, text: [`${name}: đã đọc bảng tính.`, ...warnings].join(" ") },
    );
    tick.value++;
  };
  async function act(id: number, action: () => Promise<{ source: Source }>) {
    setBusy(id);
    try {
      report((await action()).source);
    } catch (err) {
      setNotice({ ok: false, text: (err as Error).message });
    } finally {
      setBusy(null);
    }
  }

  return (
    <>
      <RegisterForm scope={scope} onDone={report} />
      {notice && (
        <p role={notice.ok ? "status" : "alert"} class={notice.ok ? "notice" : "error"}>
          {notice.text}
        </p>
      )}
      <h2>Các bảng tính đã đăng ký</h2>
      <p class="filters" role="group" aria-label="Lọc theo trạng thái">
        {FILTERS.map(([f, label]) => (
          <button key={f} type="button" aria-pressed={filter === f} onClick={() => setFilter(f)}>
            {label} ({f === "all" ? all.length : all.filter((s) => statusOf(s) === f).length})
          </button>
        ))}
      </p>
      <Status state={sources} what="danh sách bảng tính" />
      {sources.data && shown.length === 0 && <p>Không có bảng tính nào.</p>}
      {shown.length > 0 && (
        <div class="table-wrap">
          <table class="admin-sheets">
            <thead>
              <tr>
                <th scope="col">Đơn vị</th>
                <th scope="col">Trạng thái</th>
                <th scope="col">Đọc lần cuối</th>
                <th scope="col">Thao tác</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((s) => (
                <tr key={s.id} data-source={s.id} class={statusOf(s)}>
                  <th scope="row">
                    {s.unitName ?? s.unitCode}
                    <span class="muted"> · {s.layout === "table" ? "Bảng tổng hợp" : "Biểu của xã"}</span>
                    {!s.active && <span class="tag">Đã ngừng đọc</span>}
                    <br />
                    <a href={s.url} target="_blank" rel="noopener noreferrer">
                      Mở bảng tính
                    </a>
                  </th>
                  <td>
                    <strong class="sheet-status">{STATUS_WORDS[statusOf(s)]}</strong>
                    {s.lastError && <span class="sheet-cause"> — {s.lastError}</span>}
                  </td>
                  <td>{s.lastCheckedAt ? formatDateTime(s.lastCheckedAt) : "—"}</td>
                  <td class="actions">
                    <button
                      type="button"
                      disabled={busy === s.id || !s.active}
                      onClick={() => act(s.id, () => readSheetAgain(s.id))}
                    >
                      Đọc lại
                    </button>
                    {s.active && (
                      <button
                        type="button"
                        disabled={busy === s.id}
                        onClick={() => act(s.id, () => deactivateSheet(s.id))}
                      >
                        Ngừng đọc
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

const TASKS = [["sheets", "Bảng tính"]] as const;

export function AdminView({ scope }: { scope: Scope }) {
  const [task, setTask] = useState<(typeof TASKS)[number][0]>("sheets");
  return (
    <section aria-labelledby="admin-title">
      <h1 id="admin-title">Quản trị</h1>
      <nav aria-label="Các việc quản trị" class="tabs">
        {TASKS.map(([t, label]) => (
          <button key={t} type="button" aria-current={task === t ? "page" : undefined} onClick={() => setTask(t)}>
            {label}
          </button>
        ))}
      </nav>
      {task === "sheets" && <SheetsPage scope={scope} />}
    </section>
  );
}
