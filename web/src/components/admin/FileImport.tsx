/**
 * A reference file (CSV or Excel) checked as soon as it is chosen: its problems by line, before anything is saved;
 * “Nhập tệp” imports it once the check found none.
 */
import { useState } from "preact/hooks";
import { formatExact } from "../../../../domain/numbers";
import { type ReferenceFile, templateUrl, type UploadAnswer, uploadReference } from "../../api";
import { tick } from "../../state";
import { Notice, useSubmit } from "./form";

type Preview = Extract<UploadAnswer, { preview: true }>;
type Problem = Preview["problems"][number];

const at = (p: Problem) => (p.line === null ? p.message : `Dòng ${p.line}: ${p.message}`);

export function FileImport(props: {
  kind: ReferenceFile;
  id: string;
  label: string;
  /** What one row is, for “12 bảng tính”. */
  rowWord: string;
  /** Said after a successful import: what happens next. */
  next?: string;
  /** Checked before the file is sent (the unit list's valid-from date); a message when it is not ready. */
  missing?: () => string | null;
  validFrom?: string;
  onImported?: () => void;
}) {
  const { kind, id, label, rowWord, next, missing, validFrom, onImported } = props;
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const { busy, error, run } = useSubmit();

  const check = (f: File) =>
    run(async () => {
      setPreview(null);
      setNotice(null);
      setPreview((await uploadReference(kind, f, true, validFrom)) as Preview);
    });
  const importIt = () =>
    run(async () => {
      const problem = missing?.();
      if (problem) return setNotice({ ok: false, text: problem });
      if (!file) return setNotice({ ok: false, text: "Chưa chọn tệp: chọn tệp để kiểm tra rồi nhập" });
      const done = await uploadReference(kind, file, false, validFrom);
      if (done.preview) return;
      const warnings = done.warnings.map(at);
      const text = [`Đã nhập ${formatExact(done.imported)} ${rowWord}.`, ...(next ? [next] : []), ...warnings];
      setNotice({ ok: true, text: text.join(" ") });
      setPreview(null);
      setFile(null);
      tick.value++;
      onImported?.();
    });

  const problems = preview?.problems ?? [];
  return (
    <div class="file-import">
      <div class="field">
        <label for={id}>{label}</label>
        <input
          id={id}
          type="file"
          accept=".csv,text/csv,.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          onChange={(e) => {
            const f = e.currentTarget.files?.[0] ?? null;
            // Emptied, so the same file chosen again after fixing it is checked again.
            e.currentTarget.value = "";
            setFile(f);
            if (f) check(f);
          }}
        />
        <span class="hint">
          CSV (UTF-8) hoặc Excel (.xlsx); dòng đầu là tiêu đề cột. Tệp được kiểm tra trước, chưa lưu gì.
        </span>
        <span class="hint">
          <a href={templateUrl(kind, "csv")} download>
            Tải tệp mẫu
          </a>{" "}
          (CSV) hoặc{" "}
          <a href={templateUrl(kind, "xlsx")} download>
            tệp mẫu Excel
          </a>
          : đủ các cột, có dòng ví dụ — thay các dòng ví dụ bằng số liệu của mình.
        </span>
      </div>
      {busy && (
        <p class="loading" role="status">
          {preview ? "Đang nhập tệp…" : "Đang kiểm tra tệp…"}
        </p>
      )}
      {error && (
        <p role="alert" class="error">
          {error.message}
        </p>
      )}
      {preview && problems.length > 0 && (
        <div role="alert" class="import-problems">
          <p>
            <strong>
              Tệp {file?.name} có {formatExact(problems.length)} lỗi, chưa nhập gì.
            </strong>{" "}
            Sửa các dòng dưới đây trong tệp rồi chọn lại tệp.
          </p>
          <ul>
            {problems.slice(0, 200).map((p) => (
              <li key={`${p.line}|${p.message}`}>{at(p)}</li>
            ))}
          </ul>
          {problems.length > 200 && <p>… và {formatExact(problems.length - 200)} lỗi khác.</p>}
        </div>
      )}
      {preview && problems.length === 0 && (
        <div role="status" class="import-ready">
          <p>
            Tệp {file?.name} hợp lệ: {formatExact(preview.rows)} {rowWord}.
          </p>
          {preview.warnings.length > 0 && (
            <ul>
              {preview.warnings.map((w) => (
                <li key={`${w.line}|${w.message}`}>{at(w)}</li>
              ))}
            </ul>
          )}
          <button type="button" disabled={busy} onClick={importIt}>
            Nhập tệp
          </button>
        </div>
      )}
      <Notice notice={notice} />
    </div>
  );
}
