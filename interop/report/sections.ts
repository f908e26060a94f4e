// Reports that other commands write beside the matrix's (npm run perf: perf.json; npm run
// conformance: conformance.json) join
// interop.md and index.html as sections of their own. Whichever command runs last renders the
// pages again, so the order of `npm run interop` and `npm run perf` does not matter.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { perfHtml, perfMarkdown } from "../perf/render.js";
import type { PerfReport } from "../perf/contract.js";
import { conformanceHtml, conformanceMarkdown, type ConformanceReport } from "./conformance.js";

export interface Section {
  markdown: string;
  html: string;
}

/** One renderer per companion report file. */
const RENDERERS: Record<string, (doc: any) => Section> = {
  "perf.json": (r: PerfReport) => ({ markdown: perfMarkdown(r), html: perfHtml(r) }),
  "conformance.json": (r: ConformanceReport) => ({ markdown: conformanceMarkdown(r), html: conformanceHtml(r) }),
};

export function companionSections(dir: string): Section[] {
  const out: Section[] = [];
  for (const [file, render] of Object.entries(RENDERERS)) {
    const path = join(dir, file);
    if (!existsSync(path)) continue;
    try {
      out.push(render(JSON.parse(readFileSync(path, "utf8"))));
    } catch (e) {
      const why = `${file} could not be shown: ${(e as Error).message}`;
      out.push({ markdown: `> ${why}\n`, html: `<p>${why.replace(/</g, "&lt;")}</p>` });
    }
  }
  return out;
}
