import * as z from "zod";
import { PreconditionError } from "../errors";
import { redactParams } from "../policy/redact";
import { percent } from "./percent";
import { guestPath, locateGuest } from "./guest-locator";
import { vmid } from "./inputs";
import { defineRead } from "./operation";
import { about } from "./catalog";

type Row = Record<string, unknown>;

// `guests` is in ./guest-list: the command an agent runs most loads only its own input schema
export { guestsOp } from "./guest-list";

export const guestOp = defineRead({
  kind: "read",
  ...about("guest"),
  input: z.object({ vmid: vmid() }),
  async run(ctx, input) {
    const g = await locateGuest(ctx, input.vmid);
    const s = (await ctx.client.request("GET", ...guestPath(g, "/status/current"))) as Row;
    return {
      data: {
        vmid: g.vmid,
        name: s.name ?? g.name,
        type: g.type,
        node: g.node,
        status: s.status,
        qmpstatus: s.qmpstatus,
        template: g.template,
        pool: g.pool,
        tags: g.tags.join(";"),
        lock: s.lock ?? g.lock,
        cpus: s.cpus,
        cpuPercent: typeof s.cpu === "number" ? Math.round(s.cpu * 1000) / 10 : undefined,
        mem: s.mem,
        maxmem: s.maxmem,
        memPercent: percent(s.mem, s.maxmem),
        maxdisk: s.maxdisk,
        uptime: s.uptime,
        agent: s.agent,
        ha: (s.ha as Row | undefined)?.state,
      },
      columns: [
        "vmid",
        "name",
        "type",
        "node",
        "status",
        "qmpstatus",
        "template",
        "pool",
        "tags",
        "lock",
        "cpus",
        { key: "cpuPercent", label: "cpu", format: "percent" },
        { key: "mem", format: "bytes" },
        { key: "maxmem", format: "bytes" },
        { key: "memPercent", label: "mem%", format: "percent" },
        { key: "maxdisk", format: "bytes" },
        { key: "uptime", format: "duration" },
        "agent",
        "ha",
      ],
    };
  },
});

export const configOp = defineRead({
  kind: "read",
  ...about("config"),
  input: z.object({ vmid: vmid() }),
  async run(ctx, input) {
    const g = await locateGuest(ctx, input.vmid);
    const config = redactParams((await ctx.client.request("GET", ...guestPath(g, "/config"))) as Row);
    const sorted = Object.fromEntries(Object.entries(config).sort(([a], [b]) => a.localeCompare(b)));
    return { data: sorted };
  },
});

interface AgentInterface {
  name?: string;
  "hardware-address"?: string;
  "ip-addresses"?: { "ip-address"?: string; "ip-address-type"?: string; prefix?: number }[];
}

export const ipsOp = defineRead({
  kind: "read",
  ...about("ips"),
  input: z.object({ vmid: vmid() }),
  async run(ctx, input) {
    const g = await locateGuest(ctx, input.vmid);
    if (g.status !== "running")
      throw new PreconditionError(`Guest ${g.vmid} is ${g.status ?? "not running"}; IP addresses are only known while it runs.`);
    let ifaces: AgentInterface[];
    if (g.type === "lxc") {
      let rows: Row[];
      try {
        rows = (await ctx.client.request("GET", ...guestPath(g, "/interfaces"))) as Row[];
      } catch (err) {
        throw new PreconditionError(`Cannot read the network interfaces of container ${g.vmid} (${(err as Error).message}).`);
      }
      // PVE 9 adds the agent-shaped `ip-addresses` (every address); older ones have one `inet`/`inet6` each.
      ifaces = (rows ?? []).map((r) => ({
        name: String(r.name),
        "hardware-address": (r["hardware-address"] ?? r.hwaddr) as string | undefined,
        "ip-addresses": Array.isArray(r["ip-addresses"])
          ? (r["ip-addresses"] as NonNullable<AgentInterface["ip-addresses"]>)
          : [r.inet, r.inet6]
              .filter((a): a is string => typeof a === "string")
              .map((a) => ({
                "ip-address": a.split("/")[0],
                "ip-address-type": a.includes(":") ? "ipv6" : "ipv4",
                prefix: Number(a.split("/")[1]),
              })),
      }));
    } else {
      const config = (await ctx.client.request("GET", ...guestPath(g, "/config"))) as Row;
      if (!agentEnabled(config.agent)) {
        throw new PreconditionError(
          `VM ${g.vmid} has no QEMU guest agent configured (agent is off in its config). Enable it (agent=1), install qemu-guest-agent in the guest, and restart the VM; until then its IP is unknown to Proxmox.`,
        );
      }
      try {
        const res = (await ctx.client.request("GET", ...guestPath(g, "/agent/network-get-interfaces"))) as { result?: AgentInterface[] };
        ifaces = res.result ?? [];
      } catch (err) {
        throw new PreconditionError(
          `The QEMU guest agent of VM ${g.vmid} does not answer (${(err as Error).message}). Check that qemu-guest-agent is installed and running in the guest.`,
        );
      }
    }
    const data = ifaces
      .filter((i) => i.name !== "lo")
      .flatMap((i) =>
        (i["ip-addresses"] ?? []).map((a) => ({
          interface: i.name,
          mac: i["hardware-address"],
          type: a["ip-address-type"],
          address: a["ip-address"],
          prefix: a.prefix,
        })),
      )
      .filter((a) => a.address && !a.address.startsWith("127.") && a.address !== "::1");
    return { data, columns: ["interface", "type", "address", "prefix", "mac"] };
  },
});

/** The `agent` option is a property string whose default key is `enabled` (`1`, `enabled=1,fstrim_cloned_disks=1`). */
export function agentEnabled(agent: unknown): boolean {
  if (agent === undefined || agent === null) return false;
  const first = String(agent).split(",")[0]!.trim();
  const value = first.startsWith("enabled=") ? first.slice("enabled=".length) : first;
  return value === "1" || value === "true" || value === "on" || value === "yes";
}

export const snapshotsOp = defineRead({
  kind: "read",
  ...about("snapshots"),
  input: z.object({ vmid: vmid() }),
  async run(ctx, input) {
    const g = await locateGuest(ctx, input.vmid);
    const rows = (await ctx.client.request("GET", ...guestPath(g, "/snapshot"))) as Row[];
    const data = rows
      .filter((r) => r.name !== "current")
      .map((r) => ({
        name: r.name,
        parent: r.parent,
        snaptime: r.snaptime,
        vmstate: r.vmstate === 1 || r.vmstate === true,
        description: r.description,
      }))
      .sort((a, b) => Number(a.snaptime ?? 0) - Number(b.snaptime ?? 0));
    return { data, columns: ["name", "parent", { key: "snaptime", label: "time", format: "time" }, "vmstate", "description"] };
  },
});
