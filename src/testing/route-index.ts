import type { RouteMeta, Verb } from "../generated/meta-types";

/** Result of looking up `METHOD /path` in the schema's routes. */
export type RouteLookup =
  | { kind: "found"; key: string; route: RouteMeta; pathParams: Record<string, string> }
  /** the path exists but not with this method (PVE: 501) */
  | { kind: "no-method"; template: string }
  /** no such path in the schema */
  | { kind: "no-path" };

interface Template {
  path: string;
  segments: string[];
  /** verb -> route key */
  verbs: Map<string, string>;
}

const isPlaceholder = (seg: string): boolean => seg.startsWith("{") && seg.endsWith("}");

function decodeSegment(seg: string): string {
  try {
    return decodeURIComponent(seg);
  } catch {
    return seg;
  }
}

/** Matches concrete paths against the schema's path templates; literal segments win over placeholders. */
export class RouteIndex {
  private readonly byLength = new Map<number, Template[]>();

  constructor(private readonly routes: Readonly<Record<string, RouteMeta>>) {
    const templates = new Map<string, Template>();
    for (const [key, route] of Object.entries(routes)) {
      let t = templates.get(route.path);
      if (!t) {
        t = { path: route.path, segments: route.path.split("/").filter(Boolean), verbs: new Map() };
        templates.set(route.path, t);
      }
      t.verbs.set(route.v, key);
    }
    for (const t of templates.values()) {
      const list = this.byLength.get(t.segments.length) ?? [];
      list.push(t);
      this.byLength.set(t.segments.length, list);
    }
  }

  /**
   * The literal child segments of a path template (`/nodes/{node}/qemu/{vmid}` → config, status, …), sorted:
   * what PVE's directory-index GETs (`[{subdir}]`) list.
   */
  childSegments(template: string): string[] {
    const depth = template.split("/").filter(Boolean).length + 1;
    const children = new Set<string>();
    for (const t of this.byLength.get(depth) ?? []) {
      const last = t.segments[depth - 1] as string;
      if (!isPlaceholder(last) && t.path === `${template}/${last}`) children.add(last);
    }
    return [...children].sort();
  }

  lookup(method: string, path: string): RouteLookup {
    // split before decoding, so an encoded "/" (a volume id) stays inside its segment
    let raw = path.split("/").filter(Boolean);
    // pve-storage API2/Storage/Status.pm mounts Content with fragmentDelimiter '': the rest of the
    // path after …/content/ is one {volume} (`local:iso/x.iso` may come unencoded)
    if (raw.length > 6 && raw[0] === "nodes" && raw[2] === "storage" && raw[4] === "content") {
      raw = [...raw.slice(0, 5), raw.slice(5).map(decodeSegment).join("/")];
    }
    let best: { t: Template; score: number[] } | undefined;
    for (const t of this.byLength.get(raw.length) ?? []) {
      const score: number[] = [];
      let ok = true;
      for (let i = 0; i < raw.length; i++) {
        const seg = t.segments[i] as string;
        if (isPlaceholder(seg)) score.push(0);
        else if (seg === decodeSegment(raw[i] as string)) score.push(1);
        else {
          ok = false;
          break;
        }
      }
      if (ok && (!best || compare(score, best.score) > 0)) best = { t, score };
    }
    if (!best) return { kind: "no-path" };
    const key = best.t.verbs.get(method as Verb);
    if (!key) return { kind: "no-method", template: best.t.path };
    const route = this.routes[key] as RouteMeta;
    const pathParams: Record<string, string> = {};
    best.t.segments.forEach((seg, i) => {
      if (isPlaceholder(seg)) pathParams[seg.slice(1, -1)] = decodeSegment(raw[i] as string);
    });
    return { kind: "found", key, route, pathParams };
  }
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return 0;
}
