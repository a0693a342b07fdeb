// The TypeScript snippets of README.md, each with the headings it stands under.

import { REPO } from "../runtimes/_install.ts";

/** One fenced `ts` block of the README. */
export interface Snippet {
  /** `## heading` or `## heading > ### heading`, the section that makes claims about it. */
  section: string;
  /** Its code, as written. */
  code: string;
}

/** The README's `ts` blocks (`ts ignore` included: none of them is a doc test). */
export async function readmeSnippets(): Promise<Snippet[]> {
  const text = await Deno.readTextFile(`${REPO}/README.md`);
  const snippets: Snippet[] = [];
  let h2 = "";
  let h3 = "";
  let code: string[] | undefined;
  for (const line of text.split("\n")) {
    if (code) {
      if (line === "```") {
        snippets.push({ section: h3 ? `${h2} > ${h3}` : h2, code: `${code.join("\n")}\n` });
        code = undefined;
      } else {
        code.push(line);
      }
    } else if (/^```ts( |$)/.test(line)) {
      code = [];
    } else if (line.startsWith("## ")) {
      [h2, h3] = [line.slice(3), ""];
    } else if (line.startsWith("### ")) {
      h3 = line.slice(4);
    }
  }
  return snippets;
}

/**
 * `code` with each `@microsandbox/edge` specifier (and its subpaths) replaced by the URL of the
 * repository's module that deno.json exports under it: Bun finds no package of that name here.
 */
export async function withLocalImports(code: string): Promise<string> {
  const config = JSON.parse(await Deno.readTextFile(`${REPO}/deno.json`));
  const exports = config.exports as Record<string, string>;
  return code.replace(/(["'])@microsandbox\/edge(\/[a-z]+)?\1/g, (all, quote, sub = "") => {
    const path = exports[`.${sub}`];
    if (!path) throw new Error(`the README imports ${all}, which deno.json does not export`);
    return `${quote}${new URL(path, `file://${REPO}/`).href}${quote}`;
  });
}
