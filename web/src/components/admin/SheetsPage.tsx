/**
 * “Bảng tính”: every registered sheet with its status and cause in plain words, filterable; register one from its URL
 * and see at once whether it can be read; read one again; stop reading one; import many from a sources file.
 */
import { useState } from "preact/hooks";
import { formatDateTime } from "../../../../domain/time";
import { type AdminUnit, deactivateSheet, fetchSources, readSheetAgain, registerSheet, type Source } from "../../api";
import { navigate, tick, useLoad } from "../../state";
import { FileImport } from "./FileImport";
import { AdminTable, Field, FormAlert, invalid, Notice, UnitOptions, useRowAction, useSubmit } from "./form";

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

function RegisterForm({ units, onDone }: { units: AdminUnit[]; onDone: (s: Source, warnings: string[]) => void }) {
  const [sheet, setSheet] = useState("");
  const [layout, setLayout] = useState<"form" | "table">("form");
  const [unitCode, setUnitCode] = useState("");
  const { busy, error, setError, run } = useSubmit();

  const submit = (e: Event) => {
    e.preventDefault();
    if (!sheet.trim())
      return setError({
        field: "sheet",
        message: "Dán đường dẫn bảng tính (sao chép từ thanh địa chỉ của trình duyệt)",
      });
    if (!unitCode) return setError({ field: "unitCode", message: "Chọn đơn vị của bảng tính" });
    run(async () => {
      const { source, warnings } = await registerSheet({ sheet: sheet.trim(), unitCode, layout });
      onDone(source, warnings);
      setSheet("");
    });
  };
  return (
    <form class="admin-form" onSubmit={submit} noValidate>
      <h2>Đăng ký một bảng tính</h2>
      <Field id="sheet" label="Đường dẫn bảng tính" error={error}>
        <input
          id="sheet"
          type="url"
          value={sheet}
          onInput={(e) => setSheet(e.currentTarget.value)}
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
          onChange={(e) => setUnitCode(e.currentTarget.value)}
          {...invalid(error, "unitCode")}
        >
          <UnitOptions
            units={units}
            level={layout === "form" ? "commune" : "province"}
            none={`— Chọn ${layout === "form" ? "xã, phường, đặc khu" : "tỉnh"} —`}
          />
        </select>
      </Field>
      <FormAlert error={error} fields={["sheet", "unitCode"]} />
      <button type="submit" disabled={busy}>
        {busy ? "Đang đọc bảng tính…" : "Đăng ký bảng tính"}
      </button>
    </form>
  );
}

export function SheetsPage({ unit, units }: { unit: string; units: AdminUnit[] }) {
  const sources = useLoad(() => fetchSources(unit), `admin-sources|${unit}`);
  const [filter, setFilter] = useState<Filter>("all");
  const { busy, notice, setNotice, run } = useRowAction<number>();
  const all = sources.data?.sources ?? [];
  const provinces = units.filter((u) => u.parentCode === null);
  const shown = all.filter((s) => filter === "all" || statusOf(s) === filter);

  /** What became of a sheet after it was read: its cause when it could not be. */
  const outcome = (s: Source, warnings: string[] = []) => {
    const name = s.unitName ?? s.unitCode;
    return s.lastStatus === "error"
      ? { ok: false, text: `${name}: ${s.lastError ?? "không đọc được bảng tính"}` }
      : { ok: true, text: [`${name}: đã đọc bảng tính.`, ...warnings].join(" ") };
  };
  const act = (id: number, action: () => Promise<{ source: Source }>) =>
    run(id, async () => outcome((await action()).source));

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
        onDone={(s, warnings) => {
          setNotice(outcome(s, warnings));
          tick.value++;
        }}
      />
      <Notice notice={notice} />
      <h2>Các bảng tính đã đăng ký</h2>
      <fieldset class="filters" aria-label="Lọc theo trạng thái">
        {FILTERS.map(([f, label]) => (
          <button key={f} type="button" aria-pressed={filter === f} onClick={() => setFilter(f)}>
            {label} ({f === "all" ? all.length : all.filter((s) => statusOf(s) === f).length})
          </button>
        ))}
      </fieldset>
      <AdminTable
        state={sources}
        what="danh sách bảng tính"
        empty="Không có bảng tính nào."
        rows={shown.length}
        class="admin-sheets"
        columns={["Đơn vị", "Trạng thái", "Đọc lần cuối", "Thao tác"]}
      >
        {shown.map((s) => (
          <tr key={s.id} data-source={s.id} class={statusOf(s)}>
            <th scope="row">
              {s.unitName ?? s.unitCode}
              <span class="muted"> · {s.layout === "table" ? "Bảng tổng hợp" : "Biểu của xã"}</span>
              {!s.active && <span class="tag">Đã ngừng đọc</span>}
              <br />
              <a href={s.url} target="_blank" rel="noopener noreferrer">
                Mở trang tính
              </a>
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
                disabled={busy === s.id || !s.active}
                onClick={() => act(s.id, () => readSheetAgain(s.id))}
              >
                Đọc lại
              </button>
              {s.active && (
                <button type="button" disabled={busy === s.id} onClick={() => act(s.id, () => deactivateSheet(s.id))}>
                  Ngừng đọc
                </button>
              )}
            </td>
          </tr>
        ))}
      </AdminTable>
      <h2>Nhập nhiều bảng tính từ tệp</h2>
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
    </>
  );
}
