import { fail } from "../pve-http-error";
import type { SimContext } from "../sim-context";
import type { GuestState } from "../state-types";
import { type Endpoint, on } from "./endpoint";

interface Address {
  "ip-address": string;
  /** the guest agent's words, which PVE 9 adopted for these compatibility fields */
  "ip-address-type": "ipv4" | "ipv6";
  prefix: number;
}

/** `key=value,…` of a `netN` option. */
const props = (value: string): Record<string, string> =>
  Object.fromEntries(
    value.split(",").map((part) => {
      const i = part.indexOf("=");
      return i < 0 ? [part, ""] : [part.slice(0, i), part.slice(i + 1)];
    }),
  );

/** The address DHCP "hands out" to NIC `nic` of `vmid`: stable, so tests can rely on it. */
const dhcpV4 = (vmid: number, nic: number): Address => ({
  "ip-address": `192.168.${1 + nic}.${vmid % 254 || 254}`,
  "ip-address-type": "ipv4",
  prefix: 24,
});

/** The fe80::/64 address the kernel derives from the MAC (EUI-64). */
function linkLocal(mac: string): Address {
  const b = mac.split(":").map((x) => Number.parseInt(x, 16));
  b[0] = (b[0] ?? 0) ^ 2;
  const eui = [b[0], b[1], b[2], 0xff, 0xfe, b[3], b[4], b[5]].map((x) => x ?? 0);
  const groups = [0, 2, 4, 6].map((i) => ((eui[i]! << 8) | eui[i + 1]!).toString(16));
  return { "ip-address": `fe80::${groups.join(":")}`, "ip-address-type": "ipv6", prefix: 64 };
}

const cidr = (text: string, type: Address["ip-address-type"]): Address => {
  const [address, prefix] = text.split("/");
  return { "ip-address": address ?? text, "ip-address-type": type, prefix: Number(prefix ?? (type === "ipv4" ? 32 : 128)) };
};

/** One row as PVE builds it from `ip --json addr` in the container's namespace. */
function row(name: string, hwaddr: string, addrs: Address[]) {
  const last = (type: Address["ip-address-type"]) => addrs.filter((a) => a["ip-address-type"] === type).at(-1);
  const v4 = last("ipv4");
  const v6 = last("ipv6");
  return {
    name,
    hwaddr,
    "hardware-address": hwaddr,
    ...(v4 ? { inet: `${v4["ip-address"]}/${v4.prefix}` } : {}),
    ...(v6 ? { inet6: `${v6["ip-address"]}/${v6.prefix}` } : {}),
    "ip-addresses": addrs,
  };
}

/** The container's interfaces, derived from its `netN` options (`ip=dhcp|manual|CIDR`, `ip6=…`). */
export function containerInterfaces(g: GuestState) {
  const rows = [
    row("lo", "00:00:00:00:00:00", [
      { "ip-address": "127.0.0.1", "ip-address-type": "ipv4", prefix: 8 },
      { "ip-address": "::1", "ip-address-type": "ipv6", prefix: 128 },
    ]),
  ];
  const nics = Object.keys(g.config)
    .filter((k) => /^net\d+$/.test(k))
    .sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
  for (const key of nics) {
    const nic = Number(key.slice(3));
    const p = props(String(g.config[key]));
    const mac = (p.hwaddr ?? "bc:24:11:00:00:00").toLowerCase();
    const addrs: Address[] = [];
    if (p.ip === "dhcp") addrs.push(dhcpV4(g.vmid, nic));
    else if (p.ip && p.ip !== "manual") addrs.push(cidr(p.ip, "ipv4"));
    if (p.ip6 && !["auto", "dhcp", "manual"].includes(p.ip6)) addrs.push(cidr(p.ip6, "ipv6"));
    addrs.push(linkLocal(mac));
    rows.push(row(p.name ?? `eth${nic}`, mac, addrs));
  }
  return rows;
}

export const lxcInterfaceEndpoints: Endpoint[] = [
  on("GET /nodes/{node}/lxc/{vmid}/interfaces", (ctx: SimContext) => {
    const g = ctx.guest("lxc");
    ctx.check(`/vms/${g.vmid}`, ["VM.Audit"]);
    // PVE reads them from the container's network namespace, which only exists while it runs.
    if (g.status !== "running") throw fail(`CT ${g.vmid} not running`);
    return containerInterfaces(g);
  }),
];
