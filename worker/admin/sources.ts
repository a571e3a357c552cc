/**
 * An administrator's sheets one at a time (PRODUCT.md §8, “Bảng tính”): register a sheet from its URL — checked and
 * read before anything is saved, so a wrong link, a missing share or another commune's sheet changes no figure —
 * then read it into the figures at once; read one again; stop one, and read a stopped one again.
 */
import { vietnamToday } from "../../domain/time";
import { isCommuneKind } from "../../domain/units";
import type { Db } from "../db/client";
import { activeSourcesOf, deactivateSource, importSources, reactivateSource } from "../db/sources";
import { communesUnder, findUnit, unitListFor } from "../db/units";
import { AppError } from "../errors";
import { isOfficeFileUrl, otherUnitsUse, parseSheetRef } from "../reference/sources";
import { forSheet, googleFor, syncContext } from "../sync/context";
import { CONVERT_TO_SHEETS } from "../sync/read-source";
import { runSync, type SyncResult } from "../sync/run";
import { tryRead } from "../sync/source";

export type Registration = {
  sheet: string;
  unitCode: string;
  layout: "form" | "table";
  tab: string | null;
  /** The administrator confirmed a sheet whose title or heading names another commune. */
  confirm: boolean;
};

type Unit = { code: string; fullName: string; kind: string; parentCode: string | null };

/**
 * Registers a sheet for a unit (the same sheet for the same unit is the same source) and reads it at once. Refused,
 * with nothing saved: a sheet another unit's source reads; a sheet that cannot be read (why, and what to do); a form
 * whose title or heading names another commune of the province, unless the administrator confirms.
 */
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
  if (!listDate || !unit)
    throw new AppError("bad_request", `Mã đơn vị ${input.unitCode} không có trong danh sách đơn vị`, {}, "unitCode");
  assertLayoutFits(input.layout, unit);
  const row = {
    unitCode: input.unitCode,
    ...ref,
    tab: input.tab ? input.tab.normalize("NFC") : null,
    layout: input.layout,
  };
  await assertNotAnotherUnits(db, listDate, row);
  const title = await assertReadable(env, db, row, unit, listDate, input.confirm);

  const [id] = await importSources(db, [row], Date.now(), {
    actor,
    action: "sources.register",
    target: input.unitCode,
    detail: { ...row, title, confirmed: input.confirm || undefined },
  });
  if (id === undefined) throw new Error("registering a source gave no id");
  const run = await readSourceNow(env, id, actor);
  const warnings = isOfficeFileUrl(input.sheet)
    ? [`Đường dẫn là một tệp Excel mở trong Google Trang tính: ${CONVERT_TO_SHEETS}`]
    : [];
  return { id, run, warnings };
}

function assertLayoutFits(layout: Registration["layout"], unit: Unit): void {
  if (layout === "form" && !isCommuneKind(unit.kind)) {
    throw new AppError(
      "bad_request",
      `Biểu của xã phải gắn với một xã, phường, đặc khu; ${unit.fullName} là cấp trên — chọn “Bảng tổng hợp”`,
      {},
      "unitCode",
    );
  }
  if (layout === "table" && isCommuneKind(unit.kind)) {
    throw new AppError(
      "bad_request",
      `Bảng tổng hợp gắn với tỉnh (hoặc huyện) mà nó liệt kê các xã; ${unit.fullName} là cấp xã — chọn “Biểu của xã”`,
      {},
      "unitCode",
    );
  }
}

/** A sheet another unit's source reads is refused, naming the unit it belongs to. */
async function assertNotAnotherUnits(
  db: Db,
  listDate: string,
  row: Parameters<typeof otherUnitsUse>[0],
): Promise<void> {
  const owner = otherUnitsUse(row, await activeSourcesOf(db, [row.spreadsheetId], listDate));
  if (owner) throw new AppError("conflict", belongsTo(owner), {}, "sheet");
}

/** “This sheet is registered for …”, with what to do. */
export function belongsTo(owner: { unitCode: string; unitName: string | null }): string {
  const name = owner.unitName ? `${owner.unitName} (mã ${owner.unitCode})` : `đơn vị mã ${owner.unitCode}`;
  return `Bảng tính này đã được đăng ký cho ${name}: mỗi bảng tính chỉ thuộc một xã — kiểm tra lại đường dẫn; nếu bảng tính đúng là của đơn vị này, ngừng đọc bảng tính ở ${name} trước`;
}

/**
 * Reads the sheet before anything is saved. A sheet that cannot be read is refused with why; a form whose title or
 * heading names another commune of the province (and not this one) is refused unless confirmed. Its title.
 */
async function assertReadable(
  env: Env,
  db: Db,
  row: { unitCode: string; spreadsheetId: string; gid: number | null; tab: string | null; layout: "form" | "table" },
  unit: Unit,
  listDate: string,
  confirmed: boolean,
): Promise<string> {
  const built = googleFor(env, Date.now);
  if (!built.ok) throw new AppError("conflict", `Chưa đọc được bảng tính: ${built.error}`, {}, "sheet");
  const ctx = await syncContext(db, built.google, { runId: 0, now: Date.now });
  const result = await tryRead(forSheet(ctx, row.spreadsheetId), row);
  if (!result.ok) {
    throw new AppError("bad_request", `Chưa đăng ký: ${result.error.message}`, {}, "sheet");
  }
  const { title, heading } = result.read;
  if (row.layout !== "form" || confirmed || !unit.parentCode) return title;
  const others = (await communesUnder(db, listDate, unit.parentCode)).filter((c) => c.code !== unit.code);
  const named = namedCommune([title, ...heading], unit.fullName, others);
  if (named) {
    throw new AppError(
      "conflict",
      `Bảng tính “${title}” ghi tên ${named.fullName} (mã ${named.code}), không phải ${unit.fullName}: kiểm tra lại đường dẫn. Nếu đây đúng là bảng tính của ${unit.fullName}, chọn “Vẫn đăng ký”`,
      {},
      "confirm",
    );
  }
  return title;
}

/** A name as written, compared without case or punctuation but with its diacritics (Phú Mỹ is not Phù Mỹ). */
const nameKey = (text: string) =>
  ` ${text
    .normalize("NFC")
    .toLocaleLowerCase("vi")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()} `;

/** The other commune the texts name, when they do not name this one. */
function namedCommune(
  texts: string[],
  own: string,
  others: { code: string; fullName: string }[],
): { code: string; fullName: string } | null {
  const written = texts.map(nameKey).join(" ");
  if (written.includes(nameKey(own))) return null;
  return others.find((c) => written.includes(nameKey(c.fullName))) ?? null;
}

/** One sheet read on its own: a run of its own kind, told apart from a sync of every sheet started by hand. */
function readSourceNow(env: Env, id: number, actor: string): Promise<SyncResult> {
  return runSync(env, { trigger: "sheet", actor, sourceIds: [id], force: true });
}

/** Stops reading a source; its values stay. */
export async function stopSource(db: Db, id: number, actor: string): Promise<void> {
  const done = await deactivateSource(db, id, { actor, action: "sources.deactivate", target: String(id) });
  if (!done) throw new AppError("not_found", `Không có bảng tính số ${id}`);
}

/**
 * “Đọc lại”: reads a source now, changed or not; a stopped one becomes active again first, unless another unit's
 * source has read its sheet since.
 */
export async function readAgain(env: Env, db: Db, id: number, actor: string): Promise<SyncResult> {
  const listDate = await unitListFor(db, vietnamToday());
  const source = await reactivateSource(db, id, { actor, action: "sources.reactivate", target: String(id) }, (s) =>
    assertNotAnotherUnits(db, listDate ?? "", s),
  );
  if (!source) throw new AppError("not_found", `Không có bảng tính số ${id}`);
  return readSourceNow(env, id, actor);
}
