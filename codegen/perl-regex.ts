/**
 * Convert PVE's Perl patterns to JavaScript regex sources.
 *
 * PVE::JSONSchema matches `m/^$pattern$/`, so every pattern is implicitly anchored. Patterns built from
 * `qr//` arrive stringified as `(?^:…)`/`(?^i:…)`/`(?^u:…)`, which JS does not parse; Node 20 has no inline
 * modifiers either, so case-insensitive groups are expanded by hand. Atomic groups `(?>…)` become plain
 * groups and `{,n}` (Perl 5.34+) becomes `{0,n}`. The result is used without the `u` flag because PVE's
 * patterns contain identity escapes such as `\-` and `\_`.
 */
export function perlToJs(pattern: string): string {
  let out = "";
  // Stack of "is this group case-insensitive" flags, to know whether to fold letters.
  const stack: boolean[] = [];
  let fold = false;
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "\\") {
      out += pattern.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c === "[") {
      const end = classEnd(pattern, i);
      const body = pattern.slice(i, end + 1);
      out += fold ? foldClass(body) : body;
      i = end + 1;
      continue;
    }
    if (c === "(") {
      const m = /^\(\?\^([a-z]*):/.exec(pattern.slice(i));
      if (m) {
        stack.push(fold);
        if (m[1]!.includes("i")) fold = true;
        else fold = false; // (?^:) resets flags to the defaults
        out += "(?:";
        i += m[0].length;
        continue;
      }
      if (pattern.startsWith("(?>", i)) {
        stack.push(fold);
        out += "(?:";
        i += 3;
        continue;
      }
      stack.push(fold);
      out += c;
      i++;
      continue;
    }
    if (c === ")") {
      fold = stack.pop() ?? false;
      out += c;
      i++;
      continue;
    }
    if (c === "{" && pattern[i + 1] === ",") {
      out += "{0";
      i++;
      continue;
    }
    if (fold && /[a-zA-Z]/.test(c)) {
      out += `[${c.toLowerCase()}${c.toUpperCase()}]`;
      i++;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** The anchored JS regex PVE effectively applies. */
export function anchoredSource(pattern: string): string {
  return `^(?:${perlToJs(pattern)})$`;
}

function classEnd(p: string, start: number): number {
  let i = start + 1;
  if (p[i] === "^") i++;
  if (p[i] === "]") i++; // a leading ] is literal
  for (; i < p.length; i++) {
    if (p[i] === "\\") i++;
    else if (p[i] === "]") return i;
  }
  return p.length - 1;
}

/** Add the other case of every letter range or letter in a character class. */
function foldClass(body: string): string {
  const inner = body.slice(1, -1);
  const extra: string[] = [];
  for (const m of inner.matchAll(/(?<!\\)([a-zA-Z])-([a-zA-Z])|(?<![\\-])([a-zA-Z])(?!-)/g)) {
    if (m[1] && m[2]) extra.push(`${swap(m[1])}-${swap(m[2])}`);
    else if (m[3]) extra.push(swap(m[3]));
  }
  const unique = extra.filter((e) => !inner.includes(e));
  return unique.length ? `[${inner}${unique.join("")}]` : body;
}

function swap(ch: string): string {
  return ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase();
}
