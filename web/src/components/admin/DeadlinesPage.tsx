/**
 * “Hạn báo cáo”: each period's deadline — the one set, or the default (the 15th day after the period ends). A commune
 * whose first figures arrive after it counts as late.
 */
import { useState } from "preact/hooks";
import { periodLabel } from "../../../../domain/periods";
import { formatDateTime } from "../../../../domain/time";
import { fetchPeriods, type PeriodDeadline, setDeadline } from "../../api";
import { tick, useLoad } from "../../state";
import { DateField, dateText, readDate } from "./DateField";
import { AdminTable, Notice, useSubmit } from "./form";

function DeadlineRow({ p, onSaved }: { p: PeriodDeadline; onSaved: (text: string) => void }) {
  const [date, setDate] = useState(dateText(p.deadline ?? p.defaultDeadline));
  const { busy, error, setError, run } = useSubmit();
  const id = `deadline-${p.code}`;
  const save = (value: string | null) =>
    run(async () => {
      const { period } = await setDeadline(p.code, value);
      if (!value) setDate(dateText(period.defaultDeadline));
      onSaved(
        `${periodLabel(p.code)}: hạn báo cáo ${formatDateTime(period.deadline ?? period.defaultDeadline)}${value ? "" : " (mặc định)"}.`,
      );
    });
  return (
    <tr data-period={p.code}>
      <th scope="row">{periodLabel(p.code)}</th>
      <td data-label="Hạn mặc định">{formatDateTime(p.defaultDeadline)}</td>
      <td data-label="Hạn báo cáo">
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            const read = readDate(date);
            if (!read.ok) return setError({ field: "deadline", message: read.message });
            save(read.value);
          }}
          noValidate
        >
          <label for={id}>Hạn báo cáo {periodLabel(p.code)}</label>
          <DateField
            id={id}
            value={date}
            onInput={setDate}
            aria-invalid={error !== null}
            aria-describedby={error ? `${id}-error` : undefined}
          />
          <button type="submit" disabled={busy}>
            Lưu
          </button>
          {p.deadline && (
            <button type="button" disabled={busy} onClick={() => save(null)}>
              Dùng hạn mặc định
            </button>
          )}
          {error && (
            <span id={`${id}-error`} class="field-error" role="alert">
              {error.message}
            </span>
          )}
        </form>
        <span class="hint">{p.deadline ? `Đã đặt: ${formatDateTime(p.deadline)}` : "Đang dùng hạn mặc định"}</span>
      </td>
    </tr>
  );
}

export function DeadlinesPage() {
  const list = useLoad(fetchPeriods, "admin-periods");
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const periods = list.data?.periods ?? [];
  return (
    <>
      <h2>Hạn báo cáo</h2>
      <p class="muted">
        Hạn mặc định là hết ngày thứ 15 sau khi kỳ kết thúc (giờ Việt Nam). Xã gửi số liệu đầu tiên sau hạn được tính là
        nộp muộn. Nhập ngày theo dạng ngày/tháng/năm (ví dụ 15/01/2026); hạn tính đến 23:59 ngày đó.
      </p>
      <Notice notice={notice} />
      <AdminTable
        state={list}
        what="các kỳ báo cáo"
        empty="Chưa có kỳ báo cáo nào: các kỳ hiện ra khi bảng tính của xã được đọc."
        rows={periods.length}
        class="admin-deadlines"
        columns={["Kỳ báo cáo", "Hạn mặc định", "Hạn báo cáo"]}
      >
        {periods.map((p) => (
          <DeadlineRow
            key={`${p.code}|${p.deadline}`}
            p={p}
            onSaved={(text) => {
              setNotice({ ok: true, text });
              tick.value++;
            }}
          />
        ))}
      </AdminTable>
    </>
  );
}
