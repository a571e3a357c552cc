/**
 * “Danh mục”: the reference lists behind every figure — the administrative units (with the date the list takes
 * effect) and the indicator catalog — each imported from a file checked line by line before anything is saved.
 */
import { useState } from "preact/hooks";
import { catalogInUseUrl } from "../../api";
import { DateField, readDate } from "./DateField";
import { FileImport } from "./FileImport";
import { Field } from "./form";

export function CatalogPage({ onUnitsChanged }: { onUnitsChanged: () => void }) {
  const [validFromText, setValidFromText] = useState("");
  const validFrom = readDate(validFromText);
  return (
    <>
      <h2>Danh sách đơn vị hành chính</h2>
      <p class="muted">
        Danh sách đơn vị hành chính chính thức: mỗi dòng một tỉnh, thành phố, xã, phường hoặc đặc khu, với mã đơn vị cấp
        trên. Danh sách mới áp dụng cho các kỳ kết thúc từ ngày có hiệu lực; số liệu các kỳ trước vẫn cộng theo danh
        sách cũ.
      </p>
      <Field id="validFrom" label="Có hiệu lực từ ngày" error={null} hint="Ví dụ 01/07/2025 cho danh sách sau sắp xếp.">
        <DateField id="validFrom" value={validFromText} onInput={setValidFromText} />
      </Field>
      <FileImport
        kind="units"
        id="units-file"
        label="Tệp danh sách đơn vị"
        rowWord="đơn vị"
        validFrom={validFrom.ok ? validFrom.value : ""}
        missing={() =>
          validFrom.ok
            ? null
            : validFromText.trim()
              ? `Ngày có hiệu lực: ${validFrom.message}`
              : "Nhập ngày có hiệu lực của danh sách đơn vị (ngày/tháng/năm) rồi bấm “Nhập tệp” lại"
        }
        onImported={onUnitsChanged}
      />
      <h2>Danh mục chỉ tiêu</h2>
      <p class="muted">
        Mỗi dòng một chỉ tiêu: mã, nhóm, tên, đơn vị tính, loại, tử số và mẫu số của tỷ lệ, bắt buộc, thứ tự trong phần
        số liệu chính. Muốn thêm chỉ tiêu:{" "}
        <a href={catalogInUseUrl()} download>
          tải danh mục đang dùng
        </a>
        , thêm dòng rồi tải lên lại. Chỉ tiêu bắt buộc đã có số liệu không thể bị bỏ.
      </p>
      <FileImport kind="catalog" id="catalog-file" label="Tệp danh mục chỉ tiêu" rowWord="chỉ tiêu" />
    </>
  );
}
