/** Word files in tests: a minimal .docx written from body XML (as a clerk's template), and a .docx read back as XML. */
import PizZip from "pizzip";

const W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/** A .docx whose body is this WordprocessingML (paragraphs, tables), the three parts Word needs and nothing else. */
export function wordFile(body: string): Uint8Array {
  const zip = new PizZip();
  zip.file(
    "[Content_Types].xml",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
  );
  zip.file(
    "_rels/.rels",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
  );
  zip.file(
    "word/document.xml",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="${W}"><w:body>${body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>`,
  );
  return zip.generate({ type: "uint8array" });
}

/** A paragraph of one run. */
export const para = (text: string) => `<w:p><w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;

/** A paragraph whose text Word split into several runs (as it does when a word is typed, corrected or formatted). */
export const splitPara = (...runs: string[]) =>
  `<w:p>${runs.map((t, i) => `<w:r>${i % 2 ? "<w:rPr><w:b/></w:rPr>" : ""}<w:t xml:space="preserve">${t}</w:t></w:r>`).join("")}</w:p>`;

/** The parts of a .docx as text, by path. */
export function wordParts(bytes: ArrayBuffer | Uint8Array): Record<string, string> {
  const zip = new PizZip(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
  return Object.fromEntries(
    Object.keys(zip.files)
      .filter((p) => p.endsWith(".xml") || p.endsWith(".rels"))
      .map((p) => [p, zip.file(p)?.asText() ?? ""]),
  );
}

const unescapeXml = (t: string) =>
  t
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&apos;", "'")
    .replaceAll("&amp;", "&");

/** Each paragraph's text, as a reader sees it (the runs of a paragraph joined), in document order. */
export function paragraphsOf(xml: string): string[] {
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) =>
    unescapeXml([...m[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join("")),
  );
}
