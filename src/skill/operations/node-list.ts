import type { OperationContext } from "./operation";

/** The node names to query: the given one, or every online node of the cluster. */
export async function targetNodes(ctx: OperationContext, node: string | undefined): Promise<string[]> {
  if (node) return [node];
  const rows = (await ctx.client.request("GET", "/nodes")) as { node?: string; status?: string }[];
  return rows
    .filter((n) => n.status === undefined || n.status === "online")
    .map((n) => String(n.node))
    .sort();
}
