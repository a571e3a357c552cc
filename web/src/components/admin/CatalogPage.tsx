/**
 * “Danh mục”: the reference lists behind every figure — the administrative units (with the date the list takes
 * effect), the indicator catalog and the catalog of model kinds — each imported from a file checked line by line
 * before anything is saved.
 */
import { useState } from "preact/hooks";
import { formatExact } from "../../../../domain/numbers";
import { catalogInUseUrl, fetchModelTypes, modelTypesInUseUrl } from "../../api";
import { useLoad } from "../../state";
import { Status } from "../common";
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
      <ModelTypes />
    </>
  );
}

/** The catalog of model kinds (PRODUCT.md §15): the kinds in use with how many communes run each, and its import. */
function ModelTypes() {
  const types = useLoad(fetchModelTypes, "model-types");
  const list = types.data?.types ?? [];
  return (
    <>
      <h2>Danh mục loại mô hình</h2>
      <p class="muted">
        Mỗi dòng một loại mô hình tự quản: mã, tên, các tên gọi khác (cách nhau bởi dấu ;). Trang “Mô hình” trong bảng
        tính của xã được so theo tên và tên gọi khác; loại chưa có trong danh mục vẫn được tính theo tên xã ghi. Muốn
        thêm loại:{" "}
        <a href={modelTypesInUseUrl()} download>
          tải danh mục đang dùng
        </a>
        , thêm dòng rồi tải lên lại; lần đồng bộ sau đọc lại các bảng tính. Loại đang có xã báo cáo không thể bị bỏ.
      </p>
      <FileImport
        kind="models"
        id="model-types-file"
        label="Tệp danh mục loại mô hình"
        rowWord="loại mô hình"
        next="Lần đồng bộ sau sẽ đọc lại các bảng tính theo danh mục mới."
      />
      <Status state={types} what="danh mục loại mô hình" />
      {types.data &&
        (list.length === 0 ? (
          <p>Chưa nhập danh mục loại mô hình: mọi loại xã ghi đều được tính là “chưa có trong danh mục”.</p>
        ) : (
          <details class="model-types">
            <summary>
              {formatExact(list.length)} loại mô hình đang dùng ({formatExact(list.filter((t) => t.communes).length)}{" "}
              loại có xã báo cáo)
            </summary>
            <ul>
              {list.map((t) => (
                <li key={t.code} data-kind={t.code}>
                  {t.label} <span class="muted">({t.communes ? `${formatExact(t.communes)} xã` : "chưa có xã"})</span>
                </li>
              ))}
            </ul>
          </details>
        ))}
    </>
  );
}
