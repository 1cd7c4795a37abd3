import type { RawSchema } from "../../src/schema/raw-types";

/**
 * The named property-string formats that PVE's apidoc leaves as bare names (`format: "pve-qm-ide"`),
 * so that bindings generated from any schema (one pulled from a host, in a clone without ../shared)
 * type `cpu`, `boot`, `ide0`, `hostpci0` … as objects. Transcribed from the Perl that registers each
 * format (PVE::JSONSchema::register_format), in PVE's own terms (`optional`, `default_key`,
 * `format_description`); the source of each is named above it. When ../shared/pve-apidoc has
 * Proxmox's own dump of these definitions, the codegen prefers it (codegen/formats-defs.ts).
 */
export const NAMED_FORMATS: Readonly<Record<string, Readonly<Record<string, RawSchema>>>> = {
  // pve-guest-common src/PVE/VZDump/Common.pm
  "backup-fleecing": {
    enabled: {
      type: "boolean",
      optional: 1,
      default_key: 1,
      default: 0,
      description:
        "Enable backup fleecing. Cache backup data from blocks where new guest writes happen on specified storage instead of copying them directly to the backup target. This can help guest IO performance and even prevent hangs, at the cost of requiring more storage space.",
    },
    storage: {
      type: "string",
      optional: 1,
      format: "pve-storage-id",
      description:
        "Use this storage to storage fleecing images. For efficient space usage, it's best to use a local storage that supports discard and either thin provisioning or sparse files.",
    },
  },
  // pve-guest-common src/PVE/VZDump/Common.pm
  "backup-performance": {
    "max-workers": {
      type: "integer",
      optional: 1,
      default: 16,
      minimum: 1,
      maximum: 256,
      description: "Applies to VMs. Allow up to this many IO workers at the same time.",
    },
    "pbs-entries-max": {
      type: "integer",
      optional: 1,
      default: 1048576,
      minimum: 1,
      description:
        "Applies to container backups sent to PBS. Limits the number of entries allowed in memory at a given time to avoid unintended OOM situations. Increase it to enable backups of containers with a large amount of files.",
    },
  },
  // pve-common src/PVE/JSONSchema.pm ($remote_format)
  "proxmox-remote": {
    apitoken: {
      type: "string",
      format_description: "PVEAPIToken=user@realm!token=SECRET",
      description: "A full Proxmox API token including the secret value.",
    },
    fingerprint: {
      type: "string",
      optional: 1,
      pattern: "([A-Fa-f0-9]{2}:){31}[A-Fa-f0-9]{2}",
      format_description: "FINGERPRINT",
      description: "Remote host's certificate fingerprint, if not trusted by system store.",
    },
    host: { type: "string", format_description: "ADDRESS", description: "Remote Proxmox hostname or IP" },
    port: { type: "integer", optional: 1, format_description: "PORT", description: "Port to connect to" },
  },
  // pve-storage src/PVE/Storage/Plugin.pm ($prune_backups_format)
  "prune-backups": {
    "keep-all": { type: "boolean", optional: 1, description: "Keep all backups. Conflicts with the other options when true." },
    "keep-daily": {
      type: "integer",
      optional: 1,
      minimum: 0,
      format_description: "N",
      description:
        "Keep backups for the last <N> different days. If there is morethan one backup for a single day, only the latest one is kept.",
    },
    "keep-hourly": {
      type: "integer",
      optional: 1,
      minimum: 0,
      format_description: "N",
      description:
        "Keep backups for the last <N> different hours. If there is morethan one backup for a single hour, only the latest one is kept.",
    },
    "keep-last": { type: "integer", optional: 1, minimum: 0, format_description: "N", description: "Keep the last <N> backups." },
    "keep-monthly": {
      type: "integer",
      optional: 1,
      minimum: 0,
      format_description: "N",
      description:
        "Keep backups for the last <N> different months. If there is morethan one backup for a single month, only the latest one is kept.",
    },
    "keep-weekly": {
      type: "integer",
      optional: 1,
      minimum: 0,
      format_description: "N",
      description:
        "Keep backups for the last <N> different weeks. If there is morethan one backup for a single week, only the latest one is kept.",
    },
    "keep-yearly": {
      type: "integer",
      optional: 1,
      minimum: 0,
      format_description: "N",
      description:
        "Keep backups for the last <N> different years. If there is morethan one backup for a single year, only the latest one is kept.",
    },
  },
  // qemu-server src/PVE/QemuServer/CPUConfig.pm ($sev_fmt)
  "pve-qemu-sev-fmt": {
    "allow-smt": {
      type: "boolean",
      optional: 1,
      default: 1,
      description: "Sets policy bit to allow Simultaneous Multi Threading (SMT) (Ignored unless for SEV-SNP)",
    },
    "kernel-hashes": {
      type: "boolean",
      optional: 1,
      default: 0,
      description: "Add kernel hashes to guest firmware for measured linux kernel launch",
    },
    "no-debug": { type: "boolean", optional: 1, default: 0, description: "Sets policy bit to disallow debugging of guest" },
    "no-key-sharing": {
      type: "boolean",
      optional: 1,
      default: 0,
      description: "Sets policy bit to disallow key sharing with other guests (Ignored for SEV-SNP)",
    },
    type: {
      type: "string",
      default_key: 1,
      enum: ["std", "es", "snp"],
      maxLength: 3,
      format_description: "sev-type",
      description:
        "Enable standard SEV with type='std' or enable experimental SEV-ES with the 'es' option or enable experimental SEV-SNP with the 'snp' option.",
    },
  },
  // qemu-server src/PVE/QemuServer/CPUConfig.pm ($tdx_fmt)
  "pve-qemu-tdx-fmt": {
    attestation: { type: "boolean", default: 1, description: "Enable TDX attestation by including quote-generation-socket" },
    type: { type: "string", default_key: 1, enum: ["tdx"], format_description: "tdx-type", description: "Enable TDX" },
    "vsock-cid": { type: "integer", optional: 1, default: 2, minimum: 2, description: "CID for vsock of Quote Generation Service" },
    "vsock-port": { type: "integer", optional: 1, default: 4050, minimum: 0, description: "Port for vsock of Quote Generation Service" },
  },
  // qemu-server src/PVE/QemuServer.pm ($boot_fmt)
  "pve-qm-boot": {
    legacy: {
      type: "string",
      optional: 1,
      default_key: 1,
      default: "cdn",
      pattern: "[acdn]{1,4}",
      format_description: "[acdn]{1,4}",
      description: "Boot on floppy (a), hard disk (c), CD-ROM (d), or network (n). Deprecated, use 'order=' instead.",
    },
    order: {
      type: "string",
      optional: 1,
      format: "pve-qm-bootdev-list",
      format_description: "device[;device...]",
      description:
        "The guest will attempt to boot from devices in the order they appear here.\n\nDisks, optical drives and passed-through storage USB devices will be directly\nbooted from, NICs will load PXE, and PCIe devices will either behave like disks\n(e.g. NVMe) or load an option ROM (e.g. RAID controller, hardware NIC).\n\nNote that only devices in this list will be marked as bootable and thus loaded\nby the guest firmware (BIOS/UEFI). If you require multiple disks for booting\n(e.g. software-raid), you need to specify all of them here.\n\nOverrides the deprecated 'legacy=[acdn]*' value when given.\n",
    },
  },
  // qemu-server src/PVE/QemuServer.pm ($cicustom_fmt)
  "pve-qm-cicustom": {
    meta: {
      type: "string",
      optional: 1,
      format: "pve-volume-id",
      format_description: "volume",
      description:
        "Specify a custom file containing all meta data passed to the VM via cloud-init. This is provider specific meaning configdrive2 and nocloud differ.",
    },
    network: {
      type: "string",
      optional: 1,
      format: "pve-volume-id",
      format_description: "volume",
      description: "To pass a custom file containing all network data to the VM via cloud-init.",
    },
    user: {
      type: "string",
      optional: 1,
      format: "pve-volume-id",
      format_description: "volume",
      description: "To pass a custom file containing all user data to the VM via cloud-init.",
    },
    vendor: {
      type: "string",
      optional: 1,
      format: "pve-volume-id",
      format_description: "volume",
      description: "To pass a custom file containing all vendor data to the VM via cloud-init.",
    },
  },
  // qemu-server src/PVE/QemuServer/PCI.pm ($hostpci_fmt; the host pattern from $PCIRE)
  "pve-qm-hostpci": {
    "device-id": {
      type: "string",
      optional: 1,
      pattern: "^0x[0-9a-fA-F]{4}$",
      format_description: "hex id",
      description: "Override PCI device ID visible to guest",
    },
    driver: {
      type: "string",
      optional: 1,
      default: "vfio",
      enum: ["vfio", "keep"],
      description:
        "If set to 'keep' the device will neither be reset nor bound to the 'vfio-pci' driver. Useful for devices that already have the correct driver loaded.",
    },
    host: {
      type: "string",
      optional: 1,
      default_key: 1,
      pattern: "(?:[a-f0-9]{4,}:)?[a-f0-9]{2}:[a-f0-9]{2}(?:\\.[a-f0-9])?(;(?:[a-f0-9]{4,}:)?[a-f0-9]{2}:[a-f0-9]{2}(?:\\.[a-f0-9])?)*",
      format_description: "HOSTPCIID[;HOSTPCIID2...]",
      description:
        "Host PCI device pass through. The PCI ID of a host's PCI device or a list\nof PCI virtual functions of the host. HOSTPCIID syntax is:\n\n'bus:dev.func' (hexadecimal numbers)\n\nYou can use the 'lspci' command to list existing PCI devices.\n\nEither this or the 'mapping' key must be set.\n",
    },
    "legacy-igd": {
      type: "boolean",
      optional: 1,
      default: 0,
      description:
        "Pass this device in legacy IGD mode, making it the primary and exclusive graphics device in the VM. Requires 'pc-i440fx' machine type and VGA set to 'none'.",
    },
    mapping: {
      type: "string",
      optional: 1,
      format: "pve-configid",
      format_description: "mapping-id",
      description: "The ID of a cluster wide mapping. Either this or the default-key 'host' must be set.",
    },
    mdev: {
      type: "string",
      optional: 1,
      pattern: "[^/\\.:]+",
      format_description: "string",
      description:
        "The type of mediated device to use.\nAn instance of this type will be created on startup of the VM and\nwill be cleaned up when the VM stops.\n",
    },
    pcie: { type: "boolean", optional: 1, default: 0, description: "Choose the PCI-express bus (needs the 'q35' machine model)." },
    rombar: {
      type: "boolean",
      optional: 1,
      default: 1,
      description: "Specify whether or not the device's ROM will be visible in the guest's memory map.",
    },
    romfile: {
      type: "string",
      optional: 1,
      pattern: "[^,;]+",
      format_description: "string",
      description: "Custom pci device rom filename (must be located in /usr/share/kvm/).",
    },
    "sub-device-id": {
      type: "string",
      optional: 1,
      pattern: "^0x[0-9a-fA-F]{4}$",
      format_description: "hex id",
      description: "Override PCI subsystem device ID visible to guest",
    },
    "sub-vendor-id": {
      type: "string",
      optional: 1,
      pattern: "^0x[0-9a-fA-F]{4}$",
      format_description: "hex id",
      description: "Override PCI subsystem vendor ID visible to guest",
    },
    "vendor-id": {
      type: "string",
      optional: 1,
      pattern: "^0x[0-9a-fA-F]{4}$",
      format_description: "hex id",
      description: "Override PCI vendor ID visible to guest",
    },
    "x-vga": { type: "boolean", optional: 1, default: 0, description: "Enable vfio-vga device support." },
  },
  // qemu-server src/PVE/QemuServer/Drive.pm ($ide_fmt: %drivedesc_base with the throttling keys, %model_fmt, %ssd_fmt, %wwn_fmt; format from the pve-qm-image-format option)
  "pve-qm-ide": {
    aio: { type: "string", optional: 1, enum: ["native", "threads", "io_uring"], description: "AIO type to use." },
    backup: { type: "boolean", optional: 1, description: "Whether the drive should be included when making backups." },
    bps: { type: "integer", optional: 1, format_description: "bps", description: "Maximum r/w speed in bytes per second." },
    bps_max_length: {
      type: "integer",
      optional: 1,
      minimum: 1,
      format_description: "seconds",
      description: "Maximum length of I/O bursts in seconds.",
    },
    bps_rd: { type: "integer", optional: 1, format_description: "bps", description: "Maximum read speed in bytes per second." },
    bps_rd_length: { alias: "bps_rd_max_length" },
    bps_rd_max_length: {
      type: "integer",
      optional: 1,
      minimum: 1,
      format_description: "seconds",
      description: "Maximum length of read I/O bursts in seconds.",
    },
    bps_wr: { type: "integer", optional: 1, format_description: "bps", description: "Maximum write speed in bytes per second." },
    bps_wr_length: { alias: "bps_wr_max_length" },
    bps_wr_max_length: {
      type: "integer",
      optional: 1,
      minimum: 1,
      format_description: "seconds",
      description: "Maximum length of write I/O bursts in seconds.",
    },
    cache: {
      type: "string",
      optional: 1,
      enum: ["none", "writethrough", "writeback", "unsafe", "directsync"],
      description: "The drive's cache mode",
    },
    detect_zeroes: { type: "boolean", optional: 1, description: "Controls whether to detect and try to optimize writes of zeroes." },
    discard: {
      type: "string",
      optional: 1,
      enum: ["ignore", "on"],
      description: "Controls whether to pass discard/trim requests to the underlying storage.",
    },
    file: {
      type: "string",
      default_key: 1,
      format: "pve-volume-id-or-qm-path",
      format_description: "volume",
      description: "The drive's backing volume.",
    },
    format: {
      type: "string",
      optional: 1,
      enum: ["raw", "qcow", "qed", "qcow2", "vmdk", "cloop"],
      description: "The drive's backing file's data format.",
    },
    iops: { type: "integer", optional: 1, format_description: "iops", description: "Maximum r/w I/O in operations per second." },
    iops_max: {
      type: "integer",
      optional: 1,
      format_description: "iops",
      description: "Maximum unthrottled r/w I/O pool in operations per second.",
    },
    iops_max_length: {
      type: "integer",
      optional: 1,
      minimum: 1,
      format_description: "seconds",
      description: "Maximum length of I/O bursts in seconds.",
    },
    iops_rd: { type: "integer", optional: 1, format_description: "iops", description: "Maximum read I/O in operations per second." },
    iops_rd_length: { alias: "iops_rd_max_length" },
    iops_rd_max: {
      type: "integer",
      optional: 1,
      format_description: "iops",
      description: "Maximum unthrottled read I/O pool in operations per second.",
    },
    iops_rd_max_length: {
      type: "integer",
      optional: 1,
      minimum: 1,
      format_description: "seconds",
      description: "Maximum length of read I/O bursts in seconds.",
    },
    iops_wr: { type: "integer", optional: 1, format_description: "iops", description: "Maximum write I/O in operations per second." },
    iops_wr_length: { alias: "iops_wr_max_length" },
    iops_wr_max: {
      type: "integer",
      optional: 1,
      format_description: "iops",
      description: "Maximum unthrottled write I/O pool in operations per second.",
    },
    iops_wr_max_length: {
      type: "integer",
      optional: 1,
      minimum: 1,
      format_description: "seconds",
      description: "Maximum length of write I/O bursts in seconds.",
    },
    mbps: { type: "number", optional: 1, format_description: "mbps", description: "Maximum r/w speed in megabytes per second." },
    mbps_max: {
      type: "number",
      optional: 1,
      format_description: "mbps",
      description: "Maximum unthrottled r/w pool in megabytes per second.",
    },
    mbps_rd: { type: "number", optional: 1, format_description: "mbps", description: "Maximum read speed in megabytes per second." },
    mbps_rd_max: {
      type: "number",
      optional: 1,
      format_description: "mbps",
      description: "Maximum unthrottled read pool in megabytes per second.",
    },
    mbps_wr: { type: "number", optional: 1, format_description: "mbps", description: "Maximum write speed in megabytes per second." },
    mbps_wr_max: {
      type: "number",
      optional: 1,
      format_description: "mbps",
      description: "Maximum unthrottled write pool in megabytes per second.",
    },
    media: { type: "string", optional: 1, default: "disk", enum: ["cdrom", "disk"], description: "The drive's media type." },
    model: {
      type: "string",
      optional: 1,
      maxLength: 120,
      format: "urlencoded",
      format_description: "model",
      description: "The drive's reported model name, url-encoded, up to 40 bytes long.",
    },
    replicate: { type: "boolean", optional: 1, default: 1, description: "Whether the drive should considered for replication jobs." },
    rerror: { type: "string", optional: 1, enum: ["ignore", "report", "stop"], description: "Read error action." },
    serial: {
      type: "string",
      optional: 1,
      maxLength: 60,
      format: "urlencoded",
      format_description: "serial",
      description: "The drive's reported serial number, url-encoded, up to 20 bytes long.",
    },
    shared: { type: "boolean", optional: 1, default: 0, description: "Mark this locally-managed volume as available on all nodes" },
    size: {
      type: "string",
      optional: 1,
      format: "disk-size",
      format_description: "DiskSize",
      description: "Disk size. This is purely informational and has no effect.",
    },
    snapshot: {
      type: "boolean",
      optional: 1,
      description:
        "Controls qemu's snapshot mode feature. If activated, changes made to the disk are temporary and will be discarded when the VM is shutdown.",
    },
    ssd: { type: "boolean", optional: 1, description: "Whether to expose this drive as an SSD, rather than a rotational hard disk." },
    volume: { alias: "file" },
    werror: { type: "string", optional: 1, enum: ["enospc", "ignore", "report", "stop"], description: "Write error action." },
    wwn: {
      type: "string",
      optional: 1,
      pattern: "^(0x)[0-9a-fA-F]{16}",
      format_description: "wwn",
      description: "The drive's worldwide name, encoded as 16 bytes hex string, prefixed by '0x'.",
    },
  },
  // qemu-server src/PVE/QemuServer/Network.pm ($ipconfig_fmt)
  "pve-qm-ipconfig": {
    gw: {
      type: "string",
      optional: 1,
      format: "ipv4",
      format_description: "GatewayIPv4",
      requires: "ip",
      description: "Default gateway for IPv4 traffic.",
    },
    gw6: {
      type: "string",
      optional: 1,
      format: "ipv6",
      format_description: "GatewayIPv6",
      requires: "ip6",
      description: "Default gateway for IPv6 traffic.",
    },
    ip: {
      type: "string",
      optional: 1,
      default: "dhcp",
      format: "pve-ipv4-config",
      format_description: "IPv4Format/CIDR",
      description: "IPv4 address in CIDR format.",
    },
    ip6: {
      type: "string",
      optional: 1,
      default: "dhcp",
      format: "pve-ipv6-config",
      format_description: "IPv6Format/CIDR",
      description: "IPv6 address in CIDR format.",
    },
  },
  // qemu-server src/PVE/QemuServer/RNG.pm ($rng_fmt)
  "pve-qm-rng": {
    max_bytes: {
      type: "integer",
      optional: 1,
      default: 1024,
      description:
        "Maximum bytes of entropy allowed to get injected into the guest every 'period' milliseconds. Use `0` to disable limiting (potentially dangerous!).",
    },
    period: {
      type: "integer",
      optional: 1,
      default: 1000,
      description:
        "Every 'period' milliseconds the entropy-injection quota is reset, allowing the guest to retrieve another 'max_bytes' of entropy.",
    },
    source: {
      type: "string",
      default_key: 1,
      enum: ["/dev/urandom", "/dev/random", "/dev/hwrng"],
      description:
        "The file on the host to gather entropy from. Using urandom does *not* decrease security in any meaningful way, as it's still seeded from real entropy, and the bytes provided will most likely be mixed with real entropy on the guest as well. '/dev/hwrng' can be used to pass through a hardware RNG from the host.",
    },
  },
  // qemu-server src/PVE/QemuServer.pm ($smbios1_fmt)
  "pve-qm-smbios1": {
    base64: { type: "boolean", optional: 1, description: "Flag to indicate that the SMBIOS values are base64 encoded" },
    family: {
      type: "string",
      optional: 1,
      pattern: "[A-Za-z0-9+\\/]+={0,2}",
      format_description: "Base64 encoded string",
      description: "Set SMBIOS1 family string.",
    },
    manufacturer: {
      type: "string",
      optional: 1,
      pattern: "[A-Za-z0-9+\\/]+={0,2}",
      format_description: "Base64 encoded string",
      description: "Set SMBIOS1 manufacturer.",
    },
    product: {
      type: "string",
      optional: 1,
      pattern: "[A-Za-z0-9+\\/]+={0,2}",
      format_description: "Base64 encoded string",
      description: "Set SMBIOS1 product ID.",
    },
    serial: {
      type: "string",
      optional: 1,
      pattern: "[A-Za-z0-9+\\/]+={0,2}",
      format_description: "Base64 encoded string",
      description: "Set SMBIOS1 serial number.",
    },
    sku: {
      type: "string",
      optional: 1,
      pattern: "[A-Za-z0-9+\\/]+={0,2}",
      format_description: "Base64 encoded string",
      description: "Set SMBIOS1 SKU string.",
    },
    uuid: {
      type: "string",
      optional: 1,
      pattern: "[a-fA-F0-9]{8}(?:-[a-fA-F0-9]{4}){3}-[a-fA-F0-9]{12}",
      format_description: "UUID",
      description: "Set SMBIOS1 UUID.",
    },
    version: {
      type: "string",
      optional: 1,
      pattern: "[A-Za-z0-9+\\/]+={0,2}",
      format_description: "Base64 encoded string",
      description: "Set SMBIOS1 version.",
    },
  },
  // qemu-server src/PVE/QemuServer.pm ($watchdog_fmt)
  "pve-qm-watchdog": {
    action: {
      type: "string",
      optional: 1,
      enum: ["reset", "shutdown", "poweroff", "pause", "debug", "none"],
      description: "The action to perform if after activation the guest fails to poll the watchdog in time.",
    },
    model: {
      type: "string",
      optional: 1,
      default_key: 1,
      default: "i6300esb",
      enum: ["i6300esb", "ib700"],
      description: "Watchdog type to emulate.",
    },
  },
  // pve-network src/PVE/Network/SDN/SubnetPlugin.pm ($dhcp_range_fmt); PVE declares `type => 'ip'`, not a schema type: written as a string of format ip
  "pve-sdn-dhcp-range": {
    "end-address": { type: "string", format: "ip", description: "End address for the DHCP IP range" },
    "start-address": { type: "string", format: "ip", description: "Start address for the DHCP IP range" },
  },
  // pve-access-control src/PVE/Auth/Plugin.pm ($tfa_format)
  "pve-tfa-config": {
    digits: { type: "integer", optional: 1, default: 6, minimum: 6, maximum: 8, format_description: "COUNT", description: "TOTP digits." },
    id: { type: "string", optional: 1, format_description: "ID", description: "Yubico API ID." },
    key: { type: "string", optional: 1, format_description: "KEY", description: "Yubico API Key." },
    step: { type: "integer", optional: 1, default: 30, minimum: 10, format_description: "SECONDS", description: "TOTP time period." },
    type: {
      type: "string",
      enum: ["yubico", "oath"],
      format_description: "TFATYPE",
      description: "The type of 2nd factor authentication.",
    },
    url: { type: "string", optional: 1, format_description: "URL", description: "Yubico API URL." },
  },
  // qemu-server src/PVE/QemuServer/CPUConfig.pm ($cpu_fmt; flags from src/PVE/QemuServer/CPUFlags.pm); reported-model has no enum here: the model list depends on the host's architecture
  "pve-vm-cpu-conf": {
    cputype: {
      type: "string",
      optional: 1,
      default_key: 1,
      default: "kvm64",
      format_description: "string",
      description: "Emulated CPU type. Can be default or custom name (custom model names must be prefixed with 'custom-').",
    },
    flags: {
      type: "string",
      optional: 1,
      pattern: "([+-])([a-zA-Z0-9\\-_\\.]+)(;([+-])([a-zA-Z0-9\\-_\\.]+))*",
      format_description: "+FLAG[;-FLAG...]",
      description:
        "List of additional CPU flags separated by ';'. Use '+FLAG' to enable, '-FLAG' to disable a flag. There is a special 'nested-virt' shorthand which controls nested virtualization for the current CPU ('svm' for AMD and 'vmx' for Intel). Custom CPU models can specify any flag supported by QEMU/KVM, VM-specific flags must be from the following set for security reasons: aes, amd-no-ssb, amd-ssbd, hv-evmcs, hv-tlbflush, ibpb, md-clear, nested-virt, pcid, pdpe1gb, spec-ctrl, ssbd, virt-ssbd",
    },
    "guest-phys-bits": {
      type: "integer",
      optional: 1,
      minimum: 32,
      maximum: 64,
      description: "Number of physical address bits available to the guest.",
    },
    hidden: {
      type: "boolean",
      optional: 1,
      default: 0,
      description: "Do not identify as a KVM virtual machine. Only affects vCPUs with x86-64 architecture.",
    },
    "hv-vendor-id": {
      type: "string",
      optional: 1,
      pattern: "[a-zA-Z0-9]{1,12}",
      format_description: "vendor-id",
      description: "The Hyper-V vendor ID. Some drivers or programs inside Windows guests need a specific ID.",
    },
    level: {
      type: "integer",
      optional: 1,
      minimum: 0,
      maximum: 4294967295,
      description:
        "Maximum input value for the basic CPUID leaves the guest can query - that is the vendor (leaf 0), family/model/stepping and feature bits (leaf 1), cache and topology info (leaves 4 and B), and so on. Higher-numbered leaves are hidden. Setting '30' is a common workaround for Hyper-V boot failures on Windows guests running on recent Intel hosts. Only applies when the vCPU architecture is x86_64.",
    },
    "phys-bits": {
      type: "string",
      optional: 1,
      format: "pve-phys-bits",
      format_description: "8-64|host",
      description:
        "The physical memory address bits that are reported to the guest OS. Should be smaller or equal to the host's. Set to 'host' to use value from host CPU, but note that doing so will break live migration to CPUs with other values.",
    },
    "reported-model": {
      type: "string",
      optional: 1,
      default: "kvm64",
      description:
        "CPU model and vendor to report to the guest. Must be a QEMU/KVM supported model. Only valid for custom CPU model definitions, default models will always report themselves to the guest OS.",
    },
  },
  // pve-access-control src/PVE/Auth/Plugin.pm ($realm_sync_options_desc; scope and remove-vanished from the sync-scope / sync-remove-vanished options)
  "realm-sync-options": {
    "enable-new": { type: "boolean", optional: 1, default: "1", description: "Enable newly synced users immediately." },
    full: {
      type: "boolean",
      optional: 1,
      description:
        "DEPRECATED: use 'remove-vanished' instead. If set, uses the LDAP Directory as source of truth, deleting users or groups not returned from the sync and removing all locally modified properties of synced users. If not set, only syncs information which is present in the synced data, and does not delete or modify anything else.",
    },
    purge: {
      type: "boolean",
      optional: 1,
      description:
        "DEPRECATED: use 'remove-vanished' instead. Remove ACLs for users or groups which were removed from the config during a sync.",
    },
    "remove-vanished": {
      type: "string",
      optional: 1,
      default: "none",
      pattern: "(?:(?:(?:acl|properties|entry);)*(?:acl|properties|entry))|none",
      typetext: "([acl];[properties];[entry])|none",
      description:
        "A semicolon-separated list of things to remove when they or the user vanishes during a sync. The following values are possible: 'entry' removes the user/group when not returned from the sync. 'properties' removes the set properties on existing user/group that do not appear in the source (even custom ones). 'acl' removes acls when the user/group is not returned from the sync. Instead of a list it also can be 'none' (the default).",
    },
    scope: { type: "string", optional: 1, enum: ["users", "groups", "both"], description: "Select what to sync." },
  },
};
