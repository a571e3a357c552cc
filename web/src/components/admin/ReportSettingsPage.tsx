/**
 * “Mẫu báo cáo”: what a province's Word report says about who issues it — the agencies, the place, the symbol after
 * “BC-”, the signer and “Nơi nhận” — set once, and the province's own template (a .docx typed in Word with
 * placeholders), which then takes the standard form's place (PRODUCT.md §13).
 */
import { useState } from "preact/hooks";
import { formatDateTime } from "../../../../domain/time";
import {
  type AdminUnit,
  deleteReportTemplate,
  fetchReportSettings,
  type ReportSettings,
  reportDocxUrl,
  reportTemplateUrl,
  saveReportSettings,
  uploadReportTemplate,
} from "../../api";
import { meta, tick, useLoad } from "../../state";
import { Status } from "../common";
import { ConfirmDialog, Field, FormAlert, Notice, type NoticeText, UnitOptions, useSubmit } from "./form";

type Letterhead = ReportSettings["letterhead"];
type Line = Exclude<keyof Letterhead, "recipients">;

const LINES: [Line, string, string][] = [
  ["parentAgency", "Cơ quan chủ quản", "Ví dụ: Ủy ban nhân dân tỉnh Hưng Yên (để trống nếu không có)"],
  ["agency", "Cơ quan ban hành", "Ví dụ: Công an tỉnh Hưng Yên; in chữ hoa, đậm"],
  ["placeName", "Địa danh", "Đứng trước ngày tháng: “Hưng Yên, ngày … tháng … năm …”"],
  ["symbol", "Ký hiệu sau “BC-”", "Ví dụ CAT-PV05 cho “Số: …/BC-CAT-PV05”"],
  ["signerAuthority", "Quyền hạn ký", "Ví dụ: KT. GIÁM ĐỐC, TM. BAN CHỈ ĐẠO (để trống khi người đứng đầu ký)"],
  ["signerTitle", "Chức vụ người ký", "Ví dụ: Phó Giám đốc"],
  ["signerName", "Họ và tên người ký", "Có thể kèm cấp bậc: Đại tá Nguyễn Văn A"],
];

function LetterheadForm({ unit, saved, onSaved }: { unit: string; saved: Letterhead; onSaved: () => void }) {
  const [fields, setFields] = useState(saved);
  const [recipients, setRecipients] = useState(saved.recipients.join("\n"));
  const [notice, setNotice] = useState<NoticeText | null>(null);
  const { busy, error, run } = useSubmit();
  const submit = (e: Event) => {
    e.preventDefault();
    run(async () => {
      setNotice(null);
      await saveReportSettings(unit, { ...fields, recipients: recipients.split("\n") });
      setNotice({ ok: true, text: "Đã lưu. Bản Word của tỉnh từ nay in các thông tin này." });
      onSaved();
    });
  };
  const names = [...LINES.map(([k]) => k), "recipients"];
  return (
    <form onSubmit={submit} noValidate aria-labelledby="letterhead-title">
      <h3 id="letterhead-title">Thể thức văn bản</h3>
      <p class="muted">Trường để trống in thành dấu chấm (……) để điền tay.</p>
      {LINES.map(([key, label, hint]) => (
        <Field key={key} id={key} label={label} hint={hint} error={error}>
          <input
            id={key}
            value={fields[key]}
            maxLength={key === "symbol" ? 50 : 200}
            onInput={(e) => setFields({ ...fields, [key]: e.currentTarget.value })}
          />
        </Field>
      ))}
      <Field
        id="recipients"
        label="Nơi nhận"
        hint="Mỗi dòng một nơi nhận, ví dụ “Bộ Công an (V05);”. Dòng “Lưu: VT, …” được thêm nếu chưa có."
        error={error}
      >
        <textarea id="recipients" rows={6} value={recipients} onInput={(e) => setRecipients(e.currentTarget.value)} />
      </Field>
      <FormAlert error={error} fields={names} />
      <Notice notice={notice} />
      <button type="submit" class="primary" disabled={busy}>
        Lưu thể thức
      </button>
    </form>
  );
}

const PLACEHOLDERS: [string, string][] = [
  ["{unit_name}", "tên đơn vị"],
  ["{period_label}", "kỳ báo cáo (Năm 2025)"],
  ["{as_of}", "thời điểm cập nhật số liệu"],
  ["{reported}, {expected}, {accepted}", "số xã đã báo cáo, phải báo cáo, đã được tỉnh duyệt"],
  ["{security_team_count}", "một chỉ tiêu theo mã trong danh mục, như bài phát biểu nói (“5.345”, “khoảng 70”)"],
  ["{security_team_count_previous}", "số kỳ so sánh"],
  ["{security_team_count_change}", "tăng/giảm cùng xã (“tăng 9,2%”)"],
  ["{#communes} … {/communes}", "lặp lại cho từng xã, bên trong dùng {name}, {unit_code} và mã chỉ tiêu"],
];

function TemplateSection({
  unit,
  template,
  onChanged,
}: {
  unit: string;
  template: ReportSettings["template"];
  onChanged: () => void;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [asking, setAsking] = useState(false);
  const [notice, setNotice] = useState<NoticeText | null>(null);
  const { busy, error, run } = useSubmit();
  const upload = (e: Event) => {
    e.preventDefault();
    run(async () => {
      setNotice(null);
      if (!file) throw new Error("Chưa chọn tệp: chọn tệp mẫu .docx rồi bấm “Tải mẫu lên”");
      await uploadReportTemplate(unit, file);
      setNotice({ ok: true, text: `Đã lưu mẫu “${file.name}”: báo cáo Word của tỉnh từ nay theo mẫu này.` });
      setFile(null);
      onChanged();
    });
  };
  const remove = () =>
    run(async () => {
      await deleteReportTemplate(unit);
      setNotice({ ok: true, text: "Đã bỏ mẫu riêng: báo cáo Word của tỉnh trở lại mẫu chuẩn." });
      onChanged();
    });
  return (
    <section aria-labelledby="template-title">
      <h3 id="template-title">Mẫu riêng của tỉnh (đề cương)</h3>
      <p class="muted">
        Soạn đề cương trong Word, gõ chỗ cần điền số liệu trong ngoặc nhọn, lưu dạng .docx (tối đa 2 MB) rồi tải lên.
        Mẫu có chỗ điền không nhận ra hoặc vòng lặp chưa đóng sẽ bị từ chối, nêu rõ từng chỗ, và không lưu gì.
      </p>
      <details>
        <summary>Các chỗ điền số liệu</summary>
        <dl class="placeholders">
          {PLACEHOLDERS.map(([name, what]) => (
            <div key={name}>
              <dt>
                <code>{name}</code>
              </dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
      </details>
      <p>
        {template ? (
          <>
            Đang dùng mẫu <a href={reportTemplateUrl(unit)}>{template.fileName}</a> ({Math.ceil(template.bytes / 1024)}{" "}
            KB), tải lên lúc {formatDateTime(template.uploadedAt)} bởi {template.uploadedBy}.
          </>
        ) : (
          "Chưa có mẫu riêng: báo cáo Word theo mẫu chuẩn (Nghị định 30/2020/NĐ-CP)."
        )}
      </p>
      <form onSubmit={upload} noValidate>
        <Field id="template-file" label="Tệp mẫu (.docx)" error={error}>
          <input
            id="template-file"
            type="file"
            accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
          />
        </Field>
        <FormAlert error={error} fields={["template-file"]} />
        <Notice notice={notice} />
        <p class="actions">
          <button type="submit" class="primary" disabled={busy}>
            Tải mẫu lên
          </button>
          {template && (
            <button type="button" disabled={busy} onClick={() => setAsking(true)}>
              Bỏ mẫu riêng, dùng mẫu chuẩn
            </button>
          )}
        </p>
      </form>
      {asking && (
        <ConfirmDialog
          question={`Bỏ mẫu “${template?.fileName ?? ""}”?`}
          detail="Báo cáo Word của tỉnh sẽ theo mẫu chuẩn. Muốn dùng lại mẫu này thì tải tệp lên lại."
          confirm="Bỏ mẫu riêng"
          onConfirm={() => {
            setAsking(false);
            remove();
          }}
          onCancel={() => setAsking(false)}
        />
      )}
    </section>
  );
}

export function ReportSettingsPage({ units }: { units: AdminUnit[] }) {
  const m = meta.value;
  const scope = m?.principal.scopeUnitCode ?? null;
  const provinces = units.filter((u) => u.parentCode === null && (scope === null || u.code === scope));
  const first = provinces.find((p) => p.code === m?.defaultUnit)?.code ?? provinces[0]?.code ?? "";
  const [asked, setAsked] = useState<string | null>(null);
  const unit = asked ?? first;
  const settings = useLoad(unit ? () => fetchReportSettings(unit) : null, `report-settings|${unit}`);
  // Asked again in place: the forms stay mounted, with what they just said.
  const changed = () => tick.value++;
  const s = settings.data;
  return (
    <>
      <h2>Mẫu báo cáo Word</h2>
      <p class="muted">
        Nút “Tải bản Word (.docx)” ở trang Báo cáo in ra văn bản theo thể thức Nghị định 30/2020/NĐ-CP với các thông tin
        dưới đây, hoặc theo mẫu riêng của tỉnh nếu đã tải lên.
      </p>
      {provinces.length > 1 && (
        <Field id="report-unit" label="Tỉnh, thành phố" error={null}>
          <select id="report-unit" value={unit} onChange={(e) => setAsked(e.currentTarget.value)}>
            <UnitOptions units={provinces} level="province" />
          </select>
        </Field>
      )}
      <Status state={settings} what="thể thức báo cáo" />
      {s && s.unit === unit && (
        <>
          {m && (
            <p>
              <a href={reportDocxUrl({ unit, period: m.defaultPeriod ?? "" })} download>
                Tải thử bản Word {s.template ? "theo mẫu riêng" : "theo mẫu chuẩn"}
              </a>
              {s.template && (
                <>
                  {" · "}
                  <a href={reportDocxUrl({ unit, period: m.defaultPeriod ?? "" }, true)} download>
                    theo mẫu chuẩn
                  </a>
                </>
              )}
            </p>
          )}
          <LetterheadForm key={unit} unit={unit} saved={s.letterhead} onSaved={changed} />
          <TemplateSection unit={unit} template={s.template} onChanged={changed} />
        </>
      )}
    </>
  );
}
