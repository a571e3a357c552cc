/**
 * An administrator's sheets one at a time (PRODUCT.md §8, “Bảng tính”): register a sheet from its URL and read it at
 * once, so a wrong link or a missing share is known while the administrator is still there; read one again; stop one.
 */
import { vietnamToday } from "../../domain/time";
import { isCommuneKind } from "../../domain/units";
import type { Db } from "../db/client";
import { deactivateSource, importSources } from "../db/sources";
import { findUnit, unitListFor } from "../db/units";
import { AppError } from "../errors";
import { isOfficeFileUrl, parseSheetRef } from "../reference/sources";
import { CONVERT_TO_SHEETS } from "../sync/read-source";
import { runSync, type SyncResult } from "../sync/run";

export type Registration = { sheet: string; unitCode: string; layout: "form" | "table"; tab: string | null };

/** Registers a sheet for a unit (the same sheet for the same unit is the same source) and reads it at once. */
export async function registerSource(
  env: Env,
  db: Db,
  input: Registration,
  actor: string,
): Promise<{ id: number; run: SyncResult; warnings: string[] }> {
  const ref = parseSheetRef(input.sheet);
  if (!ref) {
    throw new AppError(
      "bad_request",
      "Đường dẫn không phải của Google Trang tính: mở bảng tính, sao chép đường dẫn trên thanh địa chỉ rồi dán vào đây",
      {},
      "sheet",
    );
  }
  const listDate = await unitListFor(db, vietnamToday());
  const unit = listDate ? await findUnit(db, listDate, input.unitCode) : null;
  if (!unit)
    throw new AppError("bad_request", `Mã đơn vị ${input.unitCode} không có trong danh sách đơn vị`, {}, "unitCode");
  if (input.layout === "form" && !isCommuneKind(unit.kind)) {
    throw new AppError(
      "bad_request",
      `Biểu của xã phải gắn với một xã, phường, đặc khu; ${unit.fullName} là cấp trên — chọn “Bảng tổng hợp”`,
      {},
      "unitCode",
    );
  }
  if (input.layout === "table" && isCommuneKind(unit.kind)) {
    throw new AppError(
      "bad_request",
      `Bảng tổng hợp gắn với tỉnh (hoặc huyện) mà nó liệt kê các xã; ${unit.fullName} là cấp xã — chọn “Biểu của xã”`,
      {},
      "unitCode",
    );
  }
  const row = {
    unitCode: input.unitCode,
    ...ref,
    tab: input.tab ? input.tab.normalize("NFC") : null,
    layout: input.layout,
  };
  const [id] = await importSources(db, [row], Date.now(), {
    actor,
    action: "sources.register",
    target: input.unitCode,
    detail: row,
  });
  if (id === undefined) throw new Error("registering a source gave no id");
  const run = await readSourceNow(env, id, actor);
  const warnings = isOfficeFileUrl(input.sheet)
    ? [`Đường dẫn là một tệp Excel mở trong Google Trang tính: ${CONVERT_TO_SHEETS}`]
    : [];
  return { id, run, warnings };
}

/** Reads one source now, changed or not (“Đọc lại”). */
export function readSourceNow(env: Env, id: number, actor: string): Promise<SyncResult> {
  return runSync(env, { trigger: "manual", actor, sourceIds: [id], force: true });
}

/** Stops reading a source; its values stay. */
export async function stopSource(db: Db, id: number, actor: string): Promise<void> {
  const done = await deactivateSource(db, id, { actor, action: "sources.deactivate", target: String(id) });
  if (!done) throw new AppError("not_found", `Không có bảng tính số ${id}`);
}
