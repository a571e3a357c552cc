/**
 * The first worksheet of an Excel workbook (.xlsx, Office Open XML) as rows of text, for reference files exported
 * from Excel. An .xlsx is a zip of XML parts; the parts needed are read with the platform's DecompressionStream.
 * @see https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT (zip), ECMA-376 Part 1 §18.3 (worksheets)
 */
import { AppError } from "../errors";
import type { TableRow } from "./csv";

/**
 * Larger parts are refused, counted as they are inflated (a zip says its sizes, but whoever made it chose them): a
 * reference file of Vietnam's 3,321 communes is well under 2 MB of sheet XML.
 */
const MAX_PART_BYTES = 16 * 1024 * 1024;

const notAWorkbook = () =>
  new AppError(
    "bad_request",
    "Tệp Excel bị hỏng hoặc không phải .xlsx: mở lại trong Excel, lưu thành .xlsx rồi tải lên",
  );

export const isXlsx = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

type Entry = { method: number; size: number; compressedSize: number; offset: number };

function zipEntries(b: Uint8Array): Map<string, Entry> {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let end = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw notAWorkbook();
  const entries = new Map<string, Entry>();
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const names = new TextDecoder();
  for (let n = 0; n < count; n++) {
    if (at + 46 > b.length || view.getUint32(at, true) !== 0x02014b50) throw notAWorkbook();
    const nameLength = view.getUint16(at + 28, true);
    entries.set(names.decode(b.subarray(at + 46, at + 46 + nameLength)), {
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      offset: view.getUint32(at + 42, true),
    });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return entries;
}

async function part(b: Uint8Array, entries: Map<string, Entry>, name: string): Promise<string | null> {
  const e = entries.get(name);
  if (!e) return null;
  const tooLarge = () => new AppError("payload_too_large", "Tệp Excel quá lớn: tách thành nhiều tệp nhỏ hơn");
  if (e.size > MAX_PART_BYTES) throw tooLarge();
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (view.getUint32(e.offset, true) !== 0x04034b50) throw notAWorkbook();
  const start = e.offset + 30 + view.getUint16(e.offset + 26, true) + view.getUint16(e.offset + 28, true);
  const data = b.slice(start, start + e.compressedSize);
  if (e.method === 0) return new TextDecoder().decode(data);
  if (e.method !== 8) throw notAWorkbook();
  const reader = new Blob([data]).stream().pipeThrough(new DecompressionStream("deflate-raw")).getReader();
  const text = new TextDecoder();
  let out = "";
  let inflated = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return out + text.decode();
      inflated += value.byteLength;
      if (inflated > MAX_PART_BYTES) break;
      out += text.decode(value, { stream: true });
    }
  } catch {
    throw notAWorkbook();
  }
  await reader.cancel().catch(() => {});
  throw tooLarge();
}

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
const decode = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) =>
    e[0] === "#"
      ? String.fromCodePoint(e[1] === "x" || e[1] === "X" ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)))
      : (ENTITIES[e] ?? m),
  );

/** The text of a string item: its runs' `<t>` joined, without phonetic guides (`<rPh>`). */
const textOf = (xml: string) =>
  [
    ...xml
      .replace(/<(\w+:)?rPh\b[\s\S]*?<\/(\w+:)?rPh>/g, "")
      .matchAll(/<(?:\w+:)?t\b[^>]*?(?:\/>|>([\s\S]*?)<\/(?:\w+:)?t>)/g),
  ]
    .map((m) => decode(m[1] ?? ""))
    .join("");

const attr = (attrs: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(attrs)?.[1];

function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + ch.charCodeAt(0) - 64;
  return n - 1;
}

export async function xlsxRows(bytes: Uint8Array): Promise<TableRow[]> {
  try {
    return await sheetRows(bytes);
  } catch (err) {
    // Offsets past the end, a character reference out of range: a broken file, said as one.
    if (err instanceof AppError) throw err;
    throw notAWorkbook();
  }
}

async function sheetRows(bytes: Uint8Array): Promise<TableRow[]> {
  const entries = zipEntries(bytes);
  const workbook = await part(bytes, entries, "xl/workbook.xml");
  const rels = await part(bytes, entries, "xl/_rels/workbook.xml.rels");
  const firstSheet = workbook && /<(?:\w+:)?sheet\b([^>]*)\/?>/.exec(workbook)?.[1];
  const relId = firstSheet && /\br:id="([^"]*)"/.exec(firstSheet)?.[1];
  const target =
    relId &&
    rels &&
    [...rels.matchAll(/<Relationship\b([^>]*)\/?>/g)].find((m) => attr(m[1] ?? "", "Id") === relId)?.[1];
  const path = target && attr(target, "Target");
  if (!path) throw notAWorkbook();
  const sheet = await part(bytes, entries, path.startsWith("/") ? path.slice(1) : `xl/${path}`);
  if (sheet === null) throw notAWorkbook();
  const shared = [
    ...((await part(bytes, entries, "xl/sharedStrings.xml")) ?? "").matchAll(
      /<(?:\w+:)?si\b[^>]*>([\s\S]*?)<\/(?:\w+:)?si>/g,
    ),
  ].map((m) => textOf(m[1] ?? ""));

  const rows: TableRow[] = [];
  let next = 1;
  for (const row of sheet.matchAll(/<(?:\w+:)?row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?row>)/g)) {
    const line = Number(attr(row[1] ?? "", "r") ?? next);
    next = line + 1;
    const cells: string[] = [];
    let column = 0;
    for (const c of (row[2] ?? "").matchAll(/<(?:\w+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?c>)/g)) {
      const attrs = c[1] ?? "";
      const [, letters] = /\br="([A-Z]+)\d+"/.exec(attrs) ?? [];
      column = letters ? columnIndex(letters) : column;
      const type = attr(attrs, "t");
      const body = c[2] ?? "";
      const v = /<(?:\w+:)?v>([\s\S]*?)<\/(?:\w+:)?v>/.exec(body)?.[1];
      const text =
        type === "s"
          ? (shared[Number(v)] ?? "")
          : type === "inlineStr"
            ? textOf(body)
            : v === undefined
              ? ""
              : decode(v);
      while (cells.length < column) cells.push("");
      cells[column] = text;
      column++;
    }
    rows.push({ line, cells });
  }
  return rows;
}
