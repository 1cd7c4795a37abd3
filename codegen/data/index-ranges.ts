/**
 * How many slots each indexed option (`net[n]` …) has. apidoc collapses them to `name[n]` and does not say;
 * the numbers are PVE's own limits (PVE::QemuServer, PVE::LXC::Config, PVE::Corosync, PVE::NodeConfig).
 */
export const INDEX_RANGES: Readonly<Record<string, number>> = {
  acmedomain: 6, // PVE::NodeConfig $MAXDOMAINS
  dev: 256, // LXC device passthrough
  hostpci: 16,
  ide: 4,
  ipconfig: 32, // one per net[n]
  link: 8, // corosync link0..link7
  mp: 256, // LXC mount points
  net: 32,
  numa: 8,
  parallel: 3,
  sata: 6,
  scsi: 31,
  serial: 4,
  unused: 256,
  usb: 14,
  virtio: 16,
  virtiofs: 10,
};

/** Used for an indexed kind that a future PVE adds before this table knows it (reported in the summary). */
export const DEFAULT_INDEX_RANGE = 32;
