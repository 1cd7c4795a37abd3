import { createHash } from "node:crypto";

/** Proxmox's IEEE OUI, the default `mac_prefix` of datacenter.cfg (pve-cluster src/PVE/DataCenterConfig.pm). */
export const PROXMOX_OUI = "BC:24:11";

/**
 * MAC addresses for NICs given without one, shaped like PVE::Tools::random_ether_addr (pve-common
 * src/PVE/Tools.pm): six bytes of a SHA-1, the prefix replacing the leading ones, upper-case hex.
 * PVE hashes pid, rand() and the time; the simulator hashes a counter, so a run is reproducible.
 * `inUse` lets the caller skip addresses the cluster already has.
 */
export class MacGenerator {
  private counter = 0;

  constructor(
    private readonly prefix = PROXMOX_OUI,
    private readonly seed = "pvekit-simulator",
  ) {}

  next(inUse: (mac: string) => boolean = () => false): string {
    for (;;) {
      const bytes = createHash("sha1").update(`${this.seed}:${this.counter++}`).digest();
      bytes[0] = ((bytes[0] as number) & 0xfe) | 2; // clear multicast, set locally administered
      const addr = [...bytes.subarray(0, 6)].map((b) => b.toString(16).padStart(2, "0").toUpperCase()).join(":");
      const mac = this.prefix.toUpperCase() + addr.slice(this.prefix.length);
      if (!inUse(mac)) return mac;
    }
  }
}
