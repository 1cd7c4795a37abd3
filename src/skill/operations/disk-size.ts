import { SkillUsageError } from "../errors";

const UNIT: Record<string, number> = { "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** A requested disk size: absolute (`32G`) or relative (`+10G`), in bytes. */
export interface SizeRequest {
  relative: boolean;
  bytes: number;
  /** The text as PVE accepts it. */
  text: string;
}

/** Parses `32G`, `+10G`, `512M`, `1.5T` (no unit = bytes, as PVE reads it). */
export function parseSizeRequest(text: string): SizeRequest {
  const m = /^(\+)?(\d+(?:\.\d+)?)([KMGT])?$/i.exec(text.trim());
  if (!m) throw new SkillUsageError(`Invalid size "${text}": use an absolute size like 32G or a growth like +10G (units K, M, G, T).`);
  const unit = (m[3] ?? "").toUpperCase();
  return { relative: m[1] === "+", bytes: Math.round(Number(m[2]) * UNIT[unit]!), text: `${m[1] ?? ""}${m[2]}${unit}` };
}

/** The `size=` of a disk option (`local-lvm:vm-100-disk-0,iothread=1,size=32G`), in bytes. */
export function diskSizeOf(diskOption: string): number | undefined {
  const m = /(?:^|,)size=(\d+(?:\.\d+)?)([KMGT])?(?:,|$)/i.exec(diskOption);
  return m ? Math.round(Number(m[1]) * UNIT[(m[2] ?? "").toUpperCase()]!) : undefined;
}

/** Steps to grow the partition and filesystem inside a VM after its disk was enlarged. */
export const IN_GUEST_RESIZE_STEPS: readonly string[] = [
  "Inside the VM (the disk is bigger, the partition and filesystem are not yet):",
  "1. Fix the GPT backup header: `parted /dev/sda print` and answer Fix (or `sgdisk -e /dev/sda`).",
  "2. Grow the partition: `parted /dev/sda resizepart 3 100%` (or `growpart /dev/sda 3`).",
  "3. With LVM: `pvresize /dev/sda3 && lvextend -l +100%FREE /dev/<vg>/root`.",
  "4. Grow the filesystem: `resize2fs /dev/mapper/<vg>-root` (ext4) or `xfs_growfs /` (xfs).",
  "Device names differ (vda for virtio-blk, nvme0n1…); check with `lsblk` first.",
];
