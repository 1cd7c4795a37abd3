/** One line of the results table: what was measured, pvekit's number, the baseline's, and the goal. */
export interface Row {
  measure: string;
  pvekit: string;
  baseline: string;
  /** pvekit ÷ baseline (or whatever the row compares), e.g. `1.07x` */
  ratio: string;
  /** the goal from the issues, with ✅/❌ when there is one */
  goal: string;
}

/** Verdict text for a goal: `≤ 1.10x ✅`. */
export function goal(text: string, met: boolean): string {
  return `${text} ${met ? "✅ met" : "❌ missed"}`;
}

/** The rows as one Markdown table (what `npm run bench` prints and bench/RESULTS.md holds). */
export function renderTable(rows: readonly Row[]): string {
  const head: Row = { measure: "measurement", pvekit: "pvekit", baseline: "baseline", ratio: "ratio", goal: "goal" };
  const cols = Object.keys(head) as (keyof Row)[];
  const line = (r: Row): string => `| ${cols.map((c) => r[c].replace(/\|/g, "\\|")).join(" | ")} |`;
  return [line(head), `| ${cols.map(() => "---").join(" | ")} |`, ...rows.map(line)].join("\n");
}
