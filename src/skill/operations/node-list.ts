import { NotFoundError } from "../errors";
import type { OperationContext } from "./operation";

interface NodeRow {
  node?: string;
  status?: string;
}

/** The node names to query: the given one (which must exist), or every online node of the cluster. */
export async function targetNodes(ctx: OperationContext, node: string | undefined): Promise<string[]> {
  if (node) return [await requireNode(ctx, node)];
  const rows = (await ctx.client.request("GET", "/nodes")) as NodeRow[];
  return rows
    .filter((n) => n.status === undefined || n.status === "online")
    .map((n) => String(n.node))
    .sort();
}

/** `node` if the cluster has it; NotFoundError listing the nodes otherwise (PVE itself answers a hostname lookup error). */
export async function requireNode(ctx: OperationContext, node: string): Promise<string> {
  const rows = (await ctx.client.request("GET", "/nodes")) as NodeRow[];
  if (rows.some((n) => n.node === node)) return node;
  const names = rows.map((n) => String(n.node)).sort();
  throw new NotFoundError("node", `There is no node "${node}" in the cluster (nodes: ${names.join(", ") || "none"}).`);
}
