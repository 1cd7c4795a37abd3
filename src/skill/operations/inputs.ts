import * as z from "zod";

/** Reusable input fields, so every operation describes them the same way. */
export const vmid = () =>
  z.coerce.number().int().min(100).max(999_999_999).describe("VMID of the VM or container (node and type are discovered)");
export const nodeName = (what = "Node name") =>
  z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9.-]*$/, "a node name")
    .describe(what);
export const guestType = () => z.enum(["qemu", "lxc"]).describe("Guest type: qemu (VM) or lxc (container)");
export const storageId = (what = "Storage ID") =>
  z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9._-]*$/, "a storage ID")
    .describe(what);
export const snapName = (what = "Snapshot name") =>
  z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, "a snapshot name (letter first, then letters, digits, - or _)")
    .max(40)
    .describe(what);
/** `key=value` pairs passed through to PVE (`memory=2048 net0=virtio,bridge=vmbr0`). */
export const passThrough = (what: string) => z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).describe(what);
