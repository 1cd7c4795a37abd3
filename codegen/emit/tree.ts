import type { MethodModel, Model } from "../model";
import { methodTypeName, propKey } from "../naming";
import { hasRequiredArgs, methodDoc } from "./types";

interface TreeNode {
  /** Path of this node (`/nodes/{node}`). */
  path: string;
  children: Map<string, TreeNode>;
  /** The placeholder child (`{vmid}`), reached with `$(value)`. */
  param?: { name: string; node: TreeNode };
  methods: MethodModel[];
}

/** Build the path tree from the methods' paths (nodes without methods are kept as segments). */
export function buildTree(model: Model): TreeNode {
  const root: TreeNode = { path: "", children: new Map(), methods: [] };
  for (const m of model.methods) {
    let node = root;
    for (const seg of m.path.split("/").filter(Boolean)) {
      const path = `${node.path}/${seg}`;
      if (seg.startsWith("{")) {
        const name = seg.slice(1, -1);
        if (node.param && node.param.name !== name) {
          throw new Error(`codegen: ${node.path} has two placeholders ({${node.param.name}} and {${name}})`);
        }
        node.param ??= { name, node: { path, children: new Map(), methods: [] } };
        node = node.param.node;
      } else {
        if (!node.children.has(seg)) node.children.set(seg, { path, children: new Map(), methods: [] });
        node = node.children.get(seg)!;
      }
    }
    node.methods.push(m);
  }
  return root;
}

function treeTypeName(path: string): string {
  return path ? `Api${methodTypeName("GET", path).slice(3)}` : "ApiRoot";
}

/** `tree.ts`: one interface per path node; `$get/$post/$put/$delete` per method, `$(value)` per placeholder. */
export function emitTreeText(model: Model): string {
  const root = buildTree(model);
  const imports = new Set<string>();
  const decls: string[] = [];
  const visit = (node: TreeNode): void => {
    const members: string[] = [];
    if (node.param) {
      members.push(
        `/** Select \`{${node.param.name}}\` of \`${node.param.node.path}\`. */\n$(${node.param.name.replace(/[^A-Za-z0-9_$]/g, "_")}: string | number): ${treeTypeName(node.param.node.path)};`,
      );
    }
    for (const [seg, child] of [...node.children].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      members.push(`${propKey(seg)}: ${treeTypeName(child.path)};`);
    }
    for (const m of node.methods) {
      imports.add(`${m.typeName}Args`).add(`${m.typeName}Returns`);
      const opt = hasRequiredArgs(m) ? "" : "?";
      const doc = methodDoc(m).split("\n").join("\n * ");
      members.push(
        `/**\n * ${doc}\n */\n$${m.verb.toLowerCase()}(args${opt}: ${m.typeName}Args, options?: CallOptions): Promise<${m.typeName}Returns>;`,
      );
    }
    const doc = node.path ? `/** \`${node.path}\` */` : "/** The typed Proxmox VE API tree: `pve.api.nodes.$(\"pve1\").qemu.$get()`. */";
    decls.push(`${doc}\nexport interface ${treeTypeName(node.path)} {\n${members.join("\n")}\n}`);
    if (node.param) visit(node.param.node);
    for (const child of [...node.children.values()].sort((a, b) => (a.path < b.path ? -1 : 1))) visit(child);
  };
  visit(root);
  const names = [...imports].sort();
  return `import type { CallOptions } from "./types-common";\nimport type {\n${names.join(",\n")}\n} from "./types";\n\n${decls.join("\n\n")}\n`;
}
