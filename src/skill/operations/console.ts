import * as z from "zod";
import { grantCommand } from "../permission-hint";
import { rolesWith } from "../policy/pve-roles";
import { guestNoun, locateGuest } from "./guest-locator";
import { vmid } from "./inputs";
import { defineRead, type GuestRef, type OperationContext } from "./operation";
import { about } from "./catalog";

type Row = Record<string, unknown>;

/** The privilege PVE checks for a guest's console (qemu-server/pve-container vncproxy, termproxy). */
export const CONSOLE_PRIVILEGE = "VM.Console";

/**
 * The web console URL as PVE's GUI opens it: pve-manager www/manager6/Utils.js `openVNCViewer`
 * (`console`, `novnc=1`, `vmid`, `vmname`, `node`, `resize`, `cmd`) and proxmox-widget-toolkit
 * src/Utils.js `openXtermJsViewer` (`console`, `xtermjs=1`, `vmid`, `vmname`, `node`, `cmd`), both
 * through Ext.Object.toQueryString (empty values as `key=`) on the web UI's root.
 */
export function consoleUrl(origin: string, g: GuestRef, viewer: "novnc" | "xtermjs"): string {
  const params: [string, string][] = [["console", g.type === "qemu" ? "kvm" : "lxc"]];
  params.push(viewer === "novnc" ? ["novnc", "1"] : ["xtermjs", "1"]);
  params.push(["vmid", String(g.vmid)], ["vmname", g.name ?? ""], ["node", g.node]);
  if (viewer === "novnc") params.push(["resize", "off"]);
  params.push(["cmd", ""]);
  return `${origin}/?${params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&")}`;
}

/** The web UI's origin: the API host over HTTPS; in local mode the guest's node (its cluster address). */
async function webOrigin(ctx: OperationContext, g: GuestRef): Promise<string> {
  const base = ctx.connection?.baseUrl;
  if (base && /^https?:/.test(base)) return new URL(base).origin;
  try {
    const status = (await ctx.client.request("GET", "/cluster/status")) as Row[];
    const ip = status.find((r) => r.type === "node" && r.name === g.node)?.ip;
    if (typeof ip === "string" && ip) return `https://${ip.includes(":") ? `[${ip}]` : ip}:8006`;
  } catch {
    // no cluster status: name the node
  }
  return `https://${g.node}:8006`;
}

export const consoleOp = defineRead({
  kind: "read",
  ...about("console"),
  input: z.object({
    vmid: vmid(),
    viewer: z.enum(["novnc", "xtermjs"]).describe("novnc (default for VMs) or xtermjs (default for containers; VMs need a serial console)").optional(),
  }),
  async run(ctx, input) {
    const g = await locateGuest(ctx, input.vmid);
    const viewer = input.viewer ?? (g.type === "qemu" ? "novnc" : "xtermjs");
    const path = `/vms/${g.vmid}`;
    let granted: boolean | undefined;
    try {
      const perms = (await ctx.client.request("GET", "/access/permissions", { path })) as Record<string, Record<string, unknown>>;
      const v = perms[path]?.[CONSOLE_PRIVILEGE];
      granted = v === 1 || v === true || v === "1";
    } catch {
      granted = undefined; // cannot tell
    }
    const role = rolesWith([CONSOLE_PRIVILEGE])[0] ?? "PVEVMUser";
    const grant = granted === false && ctx.connection ? grantCommand(path, role, ctx.connection) : undefined;
    const url = consoleUrl(await webOrigin(ctx, g), g, viewer);
    const notes = [
      `Open it in a browser logged in to the PVE web UI (${guestNoun(g)} consoles run in a web session; an API token cannot open one).`,
      `It needs ${CONSOLE_PRIVILEGE} on ${path}${granted === true ? ": granted to these credentials" : granted === false ? ": NOT granted to these credentials" : ""}.`,
      ...(grant ? [`To grant it: ${grant}`] : []),
      ...(g.status !== "running" ? [`${guestNoun(g)} ${g.vmid} is ${g.status ?? "not running"}; the console shows nothing until it runs.`] : []),
    ];
    return {
      data: { vmid: g.vmid, node: g.node, type: g.type, viewer, url, privilege: CONSOLE_PRIVILEGE, path, granted, ...(grant ? { grant } : {}) },
      columns: ["vmid", "node", "type", "viewer", "url", "privilege", "path", "granted"],
      notes,
    };
  },
});
