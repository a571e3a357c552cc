/**
 * The built-in Word document (PRODUCT.md §13): the report's sentences and tables (worker/aggregate/report.ts, never
 * figured again here) in the form of a Vietnamese administrative document (Nghị định 30/2020/NĐ-CP, Phụ lục I): A4,
 * margins 20/20/30/15 mm, Times New Roman, the two-column heading with the national motto, “BÁO CÁO” and its
 * subject, the body justified with its first line indented, the tables with heading rows repeated on each page,
 * “Nơi nhận” and the signature, page numbers centred at the top from page 2.
 * @see https://docx.js.org/
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Header,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableBorders,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
} from "docx";
import { dataRange, parsePeriodCode, periodLabel } from "../../domain/periods";
import type { Report } from "../aggregate/report";
import { reportingYearEnd } from "../reporting-year";
import { BLANK, BLANK_LINE, type Letterhead } from "./letterhead";

const FONT = "Times New Roman";
/** Twips in a millimetre (1 inch = 1440 twips = 25.4 mm). */
const MM = 1440 / 25.4;
const PAGE = {
  width: 11906,
  height: 16838,
  top: Math.round(20 * MM),
  bottom: Math.round(20 * MM),
  left: Math.round(30 * MM),
  right: Math.round(15 * MM),
};
/** The width text runs in, between the margins. */
const TEXT_WIDTH = PAGE.width - PAGE.left - PAGE.right;
/** Half-points: the body at 14 pt, the tables at 12 pt (11 pt when wider than five columns), the recipients at 11 pt. */
const SIZE = { body: 28, heading: 26, motto: 24, table: 24, wideTable: 22, recipientsTitle: 24, recipients: 22 };
const tableSize = (t: { columns: unknown[] }) => (t.columns.length > 5 ? SIZE.wideTable : SIZE.table);

type RunStyle = { bold?: boolean; italics?: boolean; size?: number };

/** Every run names its font and size, so the document reads the same in any word processor. */
const run = (text: string, s: RunStyle = {}) =>
  new TextRun({ text, font: FONT, size: s.size ?? SIZE.body, bold: s.bold, italics: s.italics });

const caps = (t: string) => t.toLocaleUpperCase("vi");
const orBlank = (t: string, blank = BLANK) => t.trim() || blank;

function centred(text: string, s: RunStyle = {}, spacing = { before: 0, after: 0 }) {
  return new Paragraph({ alignment: AlignmentType.CENTER, spacing, children: [run(text, s)] });
}

/** A short rule under a line of the heading: an empty paragraph's lower border, its length set by the indents. */
function rule(cellWidth: number, length: number) {
  const side = Math.max(0, Math.round((cellWidth - length) / 2));
  return new Paragraph({
    indent: { left: side, right: side },
    spacing: { before: 0, after: 60, line: 60, lineRule: "exact" },
    border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: "000000", space: 1 } },
    children: [run("", { size: 2 })],
  });
}

const NO_BORDERS = TableBorders.NONE;
const cell = (width: number, children: Paragraph[]) =>
  new TableCell({ width: { size: width, type: WidthType.DXA }, children });

/**
 * The date as Nghị định 30 writes it: a day under 10 and the months 1 and 2 with a leading zero, “ngày 05 tháng 02
 * năm 2026”, “ngày 15 tháng 8 năm 2026”.
 */
function documentDate(isoDate: string): string {
  const [y, m, d] = isoDate.split("-").map(Number) as [number, number, number];
  const dd = String(d).padStart(2, "0");
  const mm = m <= 2 ? `0${m}` : String(m);
  return `ngày ${dd} tháng ${mm} năm ${y}`;
}

/** The two-column heading: the agencies and the number left, the national title, motto and date right. */
function heading(l: Letterhead, today: string): Table {
  const left = Math.round(TEXT_WIDTH * 0.4);
  const right = TEXT_WIDTH - left;
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [left, right],
    borders: NO_BORDERS,
    rows: [
      new TableRow({
        children: [
          cell(left, [
            centred(caps(orBlank(l.parentAgency, BLANK_LINE)), { size: SIZE.heading }),
            centred(caps(orBlank(l.agency, BLANK_LINE)), { bold: true, size: SIZE.heading }),
            rule(left, 1300),
          ]),
          cell(right, [
            centred("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", { bold: true, size: SIZE.motto }),
            centred("Độc lập - Tự do - Hạnh phúc", { bold: true, size: SIZE.heading }),
            rule(right, 3300),
          ]),
        ],
      }),
      new TableRow({
        children: [
          cell(left, [
            centred(`Số: ${BLANK}/BC-${orBlank(l.symbol)}`, { size: SIZE.heading }, { before: 60, after: 0 }),
          ]),
          cell(right, [
            centred(
              `${orBlank(l.placeName, BLANK_LINE)}, ${documentDate(today)}`,
              { italics: true, size: SIZE.body },
              { before: 60, after: 0 },
            ),
          ]),
        ],
      }),
    ],
  });
}

/** A paragraph of the speech: justified, its first line indented 1.27 cm, 6 pt before. */
const bodyParagraph = (text: string) =>
  new Paragraph({
    alignment: AlignmentType.BOTH,
    indent: { firstLine: 720 },
    spacing: { before: 120, after: 0, line: 312 },
    children: [run(text)],
  });

type ReportTable = Report["tables"][number];

/**
 * The columns' widths, in proportion to what they hold: the longest cell (a heading by its longest word, since a
 * heading wraps; a figure by its longest part, since “+9,2% (cùng 144 xã)” breaks before its note), between 8 and 40
 * characters; a first column naming the rows takes what the others leave.
 */
function widths(t: ReportTable): number[] {
  // About half the font's size a character, in twips (a 12 pt character is some 6 pt wide), and the cell's margins.
  const perChar = tableSize(t) * 5;
  const rows = t.sections.flatMap((s) => s.rows);
  const longest = (parts: string[]) => Math.max(0, ...parts.map((p) => p.length));
  const need = t.columns.map((c, i) => {
    const heading = longest(c.title.split(" "));
    const cells = longest(rows.map((r) => r[i] ?? "").flatMap((v) => (c.numeric ? v.split(" (") : [v])));
    return Math.min(40, Math.max(8, heading, cells));
  });
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  let w: number[];
  if (t.columns[0]?.numeric === false) {
    // The row's name takes what the others leave, at least a third.
    const others = need.slice(1).map((n) => n * perChar + 240);
    const scale = Math.min(1, (TEXT_WIDTH * 2) / 3 / Math.max(1, sum(others)));
    w = [0, ...others.map((x) => Math.floor(x * scale))];
  } else w = need.map((n) => Math.floor((TEXT_WIDTH * n) / sum(need)));
  w[0] = (w[0] ?? 0) + TEXT_WIDTH - sum(w);
  return w;
}

const GRID = {
  top: { style: BorderStyle.SINGLE, size: 4, color: "000000" },
  bottom: { style: BorderStyle.SINGLE, size: 4, color: "000000" },
  left: { style: BorderStyle.SINGLE, size: 4, color: "000000" },
  right: { style: BorderStyle.SINGLE, size: 4, color: "000000" },
  insideHorizontal: { style: BorderStyle.SINGLE, size: 4, color: "000000" },
  insideVertical: { style: BorderStyle.SINGLE, size: 4, color: "000000" },
};

/** One of the report's tables as a Word table: its heading row repeats on each page, a row never splits. */
function wordTable(t: ReportTable): Table {
  const w = widths(t);
  const text = (
    value: string,
    align: (typeof AlignmentType)[keyof typeof AlignmentType],
    s: RunStyle = {},
    keepNext = false,
  ) =>
    new Paragraph({
      alignment: align,
      // A group's title row keeps with its first row: no page ends on a title.
      keepNext,
      spacing: { before: 20, after: 20 },
      children: [run(value, { size: tableSize(t), ...s })],
    });
  const header = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: t.columns.map(
      (c, i) =>
        new TableCell({
          width: { size: w[i] ?? 0, type: WidthType.DXA },
          verticalAlign: VerticalAlignTable.CENTER,
          shading: { type: ShadingType.CLEAR, color: "auto", fill: "E7E6E6" },
          children: [text(c.title, AlignmentType.CENTER, { bold: true })],
        }),
    ),
  });
  const rows = t.sections.flatMap((section) => [
    ...(section.title === null
      ? []
      : [
          new TableRow({
            cantSplit: true,
            children: [
              new TableCell({
                columnSpan: t.columns.length,
                width: { size: TEXT_WIDTH, type: WidthType.DXA },
                children: [text(section.title, AlignmentType.LEFT, { bold: true, italics: true }, true)],
              }),
            ],
          }),
        ]),
    ...section.rows.map(
      (row) =>
        new TableRow({
          cantSplit: true,
          children: row.map(
            (v, i) =>
              new TableCell({
                width: { size: w[i] ?? 0, type: WidthType.DXA },
                verticalAlign: VerticalAlignTable.CENTER,
                children: [text(v, t.columns[i]?.numeric ? AlignmentType.RIGHT : AlignmentType.LEFT)],
              }),
          ),
        }),
    ),
  ]);
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: w,
    borders: GRID,
    rows: [header, ...rows],
  });
}

/** “Nơi nhận” at the left, ending with the archive line; the signature at the right. */
function closing(l: Letterhead): Table {
  const left = Math.round(TEXT_WIDTH * 0.45);
  const right = TEXT_WIDTH - left;
  const listed = l.recipients.map((r) => (r.startsWith("-") ? r : `- ${r}`));
  const archived = listed.some((r) => /^-\s*Lưu\b/i.test(r));
  const recipients = listed.length ? listed : ["- Như trên;", `- ${BLANK_LINE};`];
  if (!archived) recipients.push(`- Lưu: VT, ${orBlank(l.symbol)}.`);
  const signer = [
    ...(l.signerAuthority.trim() ? [caps(l.signerAuthority.trim())] : []),
    caps(orBlank(l.signerTitle, BLANK_LINE)),
  ];
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [left, right],
    borders: NO_BORDERS,
    rows: [
      new TableRow({
        cantSplit: true,
        children: [
          cell(left, [
            new Paragraph({
              spacing: { before: 240, after: 0 },
              children: [run("Nơi nhận:", { bold: true, italics: true, size: SIZE.recipientsTitle })],
            }),
            ...recipients.map(
              (r) => new Paragraph({ spacing: { before: 0, after: 0 }, children: [run(r, { size: SIZE.recipients })] }),
            ),
          ]),
          cell(right, [
            ...signer.map((s, i) => centred(s, { bold: true }, { before: i === 0 ? 240 : 0, after: 0 })),
            ...Array.from({ length: 4 }, () => centred("")),
            centred(orBlank(l.signerName, BLANK_LINE), { bold: true }),
          ]),
        ],
      }),
    ],
  });
}

/** dd/mm/yyyy of an ISO date. */
const dmy = (iso: string) => iso.split("-").reverse().join("/");

/** The subject under “BÁO CÁO”: the movement's result for the period, and the unit when it is below a province. */
function subject(r: Report): string {
  const label = periodLabel(r.period);
  const whole = ["country", "province", "city"].includes(r.unit.kind);
  const of = whole ? "" : ` trên địa bàn ${r.unit.name}`;
  return `Kết quả phong trào “Toàn dân bảo vệ an ninh Tổ quốc” ${label.charAt(0).toLowerCase()}${label.slice(1)}${of}`;
}

/** The built-in document for the report, as the bytes of a .docx file. */
export async function reportDocument(r: Report, l: Letterhead, today: string): Promise<ArrayBuffer> {
  const p = parsePeriodCode(r.period);
  // The statistics year's range (15/12 to 14/12 by default, PRODUCT.md §14), not the calendar's.
  const range = p ? dataRange(p, reportingYearEnd()) : null;
  const tables = r.tables.flatMap((t, i) => [
    new Paragraph({
      keepNext: true,
      spacing: { before: 240, after: 120 },
      children: [run(`Biểu ${i + 1}. ${t.title}`, { bold: true })],
    }),
    wordTable(t),
    ...t.notes.map(
      (n) =>
        new Paragraph({
          alignment: AlignmentType.BOTH,
          spacing: { before: 60, after: 0 },
          children: [run(n, { italics: true, size: SIZE.table })],
        }),
    ),
  ]);
  const doc = new Document({
    creator: orBlank(l.agency),
    title: r.title,
    styles: { default: { document: { run: { font: FONT, size: SIZE.body } } } },
    sections: [
      {
        properties: {
          titlePage: true,
          page: {
            size: { width: PAGE.width, height: PAGE.height },
            margin: {
              top: PAGE.top,
              bottom: PAGE.bottom,
              left: PAGE.left,
              right: PAGE.right,
              header: Math.round(10 * MM),
              footer: Math.round(10 * MM),
            },
          },
        },
        headers: {
          first: new Header({ children: [new Paragraph({ children: [] })] }),
          default: new Header({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ children: [PageNumber.CURRENT], font: FONT, size: SIZE.heading })],
              }),
            ],
          }),
        },
        children: [
          heading(l, today),
          centred("BÁO CÁO", { bold: true }, { before: 360, after: 0 }),
          centred(subject(r), { bold: true }),
          rule(TEXT_WIDTH, 1800),
          ...(range
            ? [
                centred(
                  `Số liệu tính từ ngày ${dmy(range.from)} đến ngày ${dmy(range.to)}`,
                  { italics: true },
                  { before: 60, after: 120 },
                ),
              ]
            : []),
          ...r.paragraphs.map(bodyParagraph),
          ...tables,
          // A paragraph between two tables keeps Word from joining them into one.
          new Paragraph({ children: [] }),
          closing(l),
        ],
      },
    ],
  });
  return Packer.toArrayBuffer(doc);
}
