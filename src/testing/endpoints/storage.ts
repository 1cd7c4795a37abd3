import { createHash } from "node:crypto";
import { splitList } from "../../generated/property-string";
import { findVolume } from "../guest-config/volumes";
import { fail, paramError } from "../pve-http-error";
import type { SimContext } from "../sim-context";
import type { ClusterState, StorageState, VolumeState } from "../state-types";
import { type Endpoint, on } from "./endpoint";
import { storageContent, storagesOn } from "./node-view";

const GiB = 1024 ** 3;

/**
 * What each storage type may hold and what it needs, after the pve-storage plugins' `plugindata`
 * and `options` (src/PVE/Storage/*Plugin.pm). `shared`: the plugin's volumes are reachable from every node.
 */
const TYPES: Record<string, { content: string[]; required: string[]; shared?: boolean; path?: boolean; size: number }> = {
  dir: { content: ["images", "rootdir", "vztmpl", "iso", "backup", "snippets", "import", "none"], required: ["path"], path: true, size: 100 * GiB },
  nfs: { content: ["images", "rootdir", "vztmpl", "iso", "backup", "snippets", "import"], required: ["server", "export"], shared: true, path: true, size: 2048 * GiB },
  cifs: { content: ["images", "rootdir", "vztmpl", "iso", "backup", "snippets", "import"], required: ["server", "share"], shared: true, path: true, size: 2048 * GiB },
  cephfs: { content: ["vztmpl", "iso", "backup", "snippets", "import"], required: [], shared: true, path: true, size: 1024 * GiB },
  btrfs: { content: ["images", "rootdir", "vztmpl", "iso", "backup", "snippets", "import"], required: ["path"], path: true, size: 500 * GiB },
  lvm: { content: ["images", "rootdir"], required: ["vgname"], size: 500 * GiB },
  lvmthin: { content: ["images", "rootdir"], required: ["vgname", "thinpool"], size: 400 * GiB },
  zfspool: { content: ["images", "rootdir"], required: ["pool"], size: 1024 * GiB },
  rbd: { content: ["images", "rootdir"], required: [], shared: true, size: 4096 * GiB },
  pbs: { content: ["backup"], required: ["server", "datastore"], shared: true, size: 8192 * GiB },
  iscsi: { content: ["images", "none"], required: ["portal", "target"], shared: true, size: 1024 * GiB },
  zfs: { content: ["images"], required: ["portal", "target", "pool", "iscsiprovider"], shared: true, size: 1024 * GiB },
};

/** Parameters that are not storage.cfg options, and secrets PVE keeps out of storage.cfg (sensitive-properties). */
const NOT_OPTIONS = new Set(["storage", "type", "content", "nodes", "disable", "shared", "digest", "delete"]);
const SENSITIVE = new Set(["password", "encryption-key", "keyring", "master-pubkey"]);

/** storage.cfg as PVE writes it (PVE::SectionConfig): what its digest is taken over. */
export function storageCfgText(state: ClusterState): string {
  let raw = "";
  for (const s of state.storages) {
    raw += `${s.type}: ${s.storage}\n`;
    const lines: Record<string, string | number> = { ...(s.options ?? {}), content: [...s.content].sort().join(",") };
    if (s.nodes) lines.nodes = s.nodes.join(",");
    if (s.disabled) lines.disable = 1;
    if (s.shared && !TYPES[s.type]?.shared) lines.shared = 1;
    for (const key of Object.keys(lines).sort()) raw += `\t${key} ${lines[key]}\n`;
    raw += "\n";
  }
  return raw;
}

const cfgDigest = (state: ClusterState): string => createHash("sha1").update(storageCfgText(state)).digest("hex");

/** One storage as `GET /storage` shows it (pve-storage API2/Storage/Config.pm $api_storage_config). */
function storageView(state: ClusterState, s: StorageState): Record<string, unknown> {
  const out: Record<string, unknown> = { storage: s.storage, type: s.type, content: [...s.content].sort().join(","), digest: cfgDigest(state), ...(s.options ?? {}) };
  if (s.nodes) out.nodes = s.nodes.join(",");
  if (s.disabled) out.disable = 1;
  if (s.shared) out.shared = 1;
  return out;
}

function findConfigured(state: ClusterState, id: string): StorageState {
  const s = state.storages.find((x) => x.storage === id);
  if (!s) throw fail(`storage '${id}' does not exist`);
  return s;
}

function checkContent(type: string, content: string[]): void {
  const allowed = TYPES[type]?.content ?? [];
  for (const c of content) if (!allowed.includes(c)) throw paramError({ content: `storage does not support content type '${c}'` });
}

function createStorage(ctx: SimContext): unknown {
  ctx.check("/storage", ["Datastore.Allocate"]);
  const id = ctx.req("storage");
  const type = ctx.req("type");
  const meta = TYPES[type];
  if (!meta) throw paramError({ type: `storage type '${type}' is not simulated` });
  for (const key of meta.required) if (ctx.str(key) === undefined) throw fail(`missing value for required option '${key}'`);
  const content = splitList(ctx.str("content") ?? (meta.path ? "images,rootdir" : "images,rootdir")).filter((c) => c !== "none");
  checkContent(type, content);
  // pve-storage Config.pm create: "create storage failed: storage ID 'x' already defined" (lock_storage_config wraps it)
  if (ctx.state.storages.some((s) => s.storage === id)) throw fail(`create storage failed: storage ID '${id}' already defined`);
  const options: Record<string, string | number> = {};
  for (const key of Object.keys(ctx.params)) if (!NOT_OPTIONS.has(key) && !SENSITIVE.has(key)) options[key] = ctx.str(key) as string;
  const nodes = splitList(ctx.str("nodes") ?? "");
  for (const n of nodes) if (!ctx.state.nodes.some((x) => x.name === n)) throw paramError({ nodes: `no such cluster node '${n}'` });
  const storage: StorageState = {
    storage: id,
    type,
    content,
    shared: Boolean(meta.shared) || ctx.bool("shared"),
    total: meta.size,
    volumes: {},
    options,
    ...(nodes.length ? { nodes } : {}),
    ...(ctx.bool("disable") ? { disabled: true } : {}),
  };
  ctx.state.storages.push(storage);
  return { storage: id, type };
}

function updateStorage(ctx: SimContext): unknown {
  ctx.check("/storage", ["Datastore.Allocate"]);
  const s = findConfigured(ctx.state, ctx.req("storage"));
  const digest = ctx.str("digest");
  // PVE::SectionConfig::assert_if_modified
  if (digest !== undefined && digest !== cfgDigest(ctx.state)) throw fail("detected modified configuration - file changed by other user? Try again.");
  const deletes = splitList(ctx.str("delete") ?? "");
  for (const k of deletes) {
    if (ctx.str(k) !== undefined) throw fail(`cannot set and delete property '${k}' at the same time!`);
    if (TYPES[s.type]?.required.includes(k) || k === "type") throw fail(`unable to delete required option '${k}'`);
  }
  if (ctx.str("type") !== undefined) throw fail("can't change value of fixed parameter 'type'");
  const content = ctx.str("content");
  if (content !== undefined) {
    const list = splitList(content).filter((c) => c !== "none");
    checkContent(s.type, list);
    s.content = list;
  }
  const nodes = ctx.str("nodes");
  if (nodes !== undefined) s.nodes = splitList(nodes);
  if (ctx.str("disable") !== undefined) s.disabled = ctx.bool("disable");
  if (ctx.str("shared") !== undefined) s.shared = Boolean(TYPES[s.type]?.shared) || ctx.bool("shared");
  s.options ??= {};
  for (const key of Object.keys(ctx.params)) if (!NOT_OPTIONS.has(key) && !SENSITIVE.has(key)) s.options[key] = ctx.str(key) as string;
  for (const k of deletes) {
    if (k === "nodes") delete s.nodes;
    else if (k === "disable") delete s.disabled;
    else delete s.options[k];
  }
  return { storage: s.storage, type: s.type };
}

function deleteStorage(ctx: SimContext): null {
  ctx.check("/storage", ["Datastore.Allocate"]);
  const s = findConfigured(ctx.state, ctx.req("storage"));
  // storage_is_used: another storage uses it as its base
  if (ctx.state.storages.some((x) => String(x.options?.base ?? "").startsWith(`${s.storage}:`))) throw fail("can't remove storage - storage is used as base of another storage");
  ctx.state.storages = ctx.state.storages.filter((x) => x !== s);
  for (const p of ctx.state.pools.values()) p.storage = p.storage.filter((x) => x !== s.storage);
  return null;
}

/** Storage `{storage}` on `{node}`, enabled there (PVE::Storage::storage_check_enabled). */
function nodeStorage(ctx: SimContext): { node: string; storage: StorageState } {
  const node = ctx.node();
  const id = ctx.req("storage");
  const storage = ctx.state.storages.find((s) => s.storage === id);
  if (!storage) throw fail(`storage '${id}' does not exist`);
  if (!storagesOn(ctx.state, node.name).includes(storage)) throw fail(`storage '${id}' is not available on node '${node.name}'`);
  if (storage.disabled) throw fail(`storage '${id}' is disabled`);
  return { node: node.name, storage };
}

/** `volume` as a full volume id: `iso/x.iso` or `local:iso/x.iso` (Content.pm $real_volume_id). */
function realVolid(storage: StorageState, volume: string): string {
  const i = volume.indexOf(":");
  if (i < 0) return `${storage.storage}:${volume}`;
  const sid = volume.slice(0, i);
  if (sid !== storage.storage) throw paramError({ volume: `storage ID mismatch ('${sid}' != '${storage.storage}')` });
  return volume;
}

/** Directory of a file-based storage (its `path`, /mnt/pve/<id> for network ones). */
function storagePath(s: StorageState): string {
  return String(s.options?.path ?? (s.storage === "local" ? "/var/lib/vz" : `/mnt/pve/${s.storage}`));
}

function volumePath(s: StorageState, volid: string): string {
  const volname = volid.slice(volid.indexOf(":") + 1);
  const [dir, ...rest] = volname.split("/");
  const base = storagePath(s);
  if (dir === "iso") return `${base}/template/iso/${rest.join("/")}`;
  if (dir === "vztmpl") return `${base}/template/cache/${rest.join("/")}`;
  if (dir === "backup") return `${base}/dump/${rest.join("/")}`;
  if (dir === "import") return `${base}/import/${rest.join("/")}`;
  if (TYPES[s.type]?.path) return `${base}/images/${volname}`;
  return `/dev/${String(s.options?.vgname ?? s.storage)}/${volname}`;
}

function contentInfo(ctx: SimContext): unknown {
  const { node, storage } = nodeStorage(ctx);
  ctx.check(`/storage/${storage.storage}`, ["Datastore.Audit", "Datastore.AllocateSpace"], true);
  const volid = realVolid(storage, ctx.req("volume"));
  const vol = storageContent(ctx.state, storage, node).find((v) => v.volid === volid);
  if (!vol) throw fail(`volume '${volid}' does not exist`);
  return {
    path: volumePath(storage, volid),
    size: vol.size,
    used: vol.content === "images" || vol.content === "rootdir" ? Math.round(vol.size * 0.3) : vol.size,
    format: vol.format,
    ...(vol.notes !== undefined ? { notes: vol.notes } : {}),
    ...(vol.protected ? { protected: 1 } : {}),
  };
}

function storedVolume(ctx: SimContext): { storage: StorageState; node: string; vol: VolumeState; volid: string } {
  const { node, storage } = nodeStorage(ctx);
  const volid = realVolid(storage, ctx.req("volume"));
  const vol = findVolume(storage, volid, node);
  if (!vol) {
    const image = storageContent(ctx.state, storage, node).find((v) => v.volid === volid);
    if (image) throw fail(`unable to delete '${volid}' - volume is still in use by VM ${image.vmid} (simulator: guest images are removed with their guest)`);
    throw fail(`volume '${volid}' does not exist`);
  }
  return { storage, node, vol, volid };
}

function updateContent(ctx: SimContext): null {
  const { storage, vol } = storedVolume(ctx);
  if (vol.content === "backup" && vol.vmid !== undefined) {
    ctx.check(`/storage/${storage.storage}`, ["Datastore.AllocateSpace"]);
    ctx.check(`/vms/${vol.vmid}`, ["VM.Backup"]);
  } else ctx.check(`/storage/${storage.storage}`, ["Datastore.Allocate"]);
  const notes = ctx.str("notes");
  if (notes !== undefined) vol.notes = notes;
  if (ctx.str("protected") !== undefined) vol.protected = ctx.bool("protected");
  return null;
}

/** `DELETE …/content/{volume}`: an `imgdel` task (pve-storage API2/Storage/Content.pm delete). */
function deleteContent(ctx: SimContext): unknown {
  const { storage, node, vol, volid } = storedVolume(ctx);
  if (vol.content === "backup" && vol.vmid !== undefined) {
    ctx.check(`/storage/${storage.storage}`, ["Datastore.AllocateSpace"]);
    ctx.check(`/vms/${vol.vmid}`, ["VM.Backup"]);
  } else ctx.check(`/storage/${storage.storage}`, ["Datastore.Allocate"]);
  return ctx.task({
    type: "imgdel",
    id: `${vol.vmid !== undefined ? `${vol.vmid}@` : ""}${storage.storage}`,
    durationMs: 500,
    run: (log) => {
      if (vol.protected) throw new Error(`volume '${volid}' is protected`);
      const key = storage.shared ? "*" : node;
      storage.volumes[key] = (storage.volumes[key] ?? []).filter((v) => v !== vol);
      log.info(`Removed volume '${volid}'`);
    },
  });
}

/** File names the upload and download accept per content type (pve-storage Storage.pm ISO_EXT_RE_0 …). */
function checkFilename(content: string, filename: string): { format: string } {
  if (content === "iso") {
    if (!/[^/]+\.(?:iso|img)$/i.test(filename)) throw paramError({ filename: "wrong file extension" });
    return { format: "iso" };
  }
  if (content === "vztmpl") {
    const m = /[^/]+\.(tar|tar\.(gz|xz|zst|bz2))$/i.exec(filename);
    if (!m) throw paramError({ filename: "wrong file extension" });
    return { format: m[2] ? `t${(m[2] as string).toLowerCase().replace("bz2", "bz")}` : "tar" };
  }
  if (content === "import") {
    const m = /^[a-zA-Z0-9\-.+=_]+\.(ova|qcow2|raw|vmdk)$/.exec(filename);
    if (!m) throw paramError({ filename: "invalid filename or wrong extension" });
    return { format: m[1] as string };
  }
  throw paramError({ content: `upload content type '${content}' not allowed` });
}

/** PVE::Storage::normalize_content_filename. */
const normalizeFilename = (name: string): string => name.trim().replace(/^.*[/\\]/, "").replace(/[^a-zA-Z0-9_.-]/g, "_");

const dirOf = (content: string): string => (content === "iso" ? "iso" : content === "vztmpl" ? "vztmpl" : "import");

/** Adds (or replaces) a stored volume on `storage` as seen from `node`. */
function storeVolume(ctx: SimContext, storage: StorageState, node: string, vol: VolumeState): void {
  const key = storage.shared ? "*" : node;
  const list = (storage.volumes[key] ??= []);
  const i = list.findIndex((v) => v.volid === vol.volid);
  if (i >= 0) list[i] = vol;
  else list.push(vol);
}

/** Bytes left on a storage as seen from `node`. */
function available(ctx: SimContext, storage: StorageState, node: string): number {
  return storage.total - storageContent(ctx.state, storage, node).reduce((sum, v) => sum + v.size, 0);
}

/**
 * `POST …/upload` (pve-storage API2/Storage/Status.pm upload): the HTTPS and msw faces stream the
 * multipart body (fields first, then the file part `filename`) and hand over its size and checksum;
 * the `imgcopy` task checks the checksum and files the volume.
 */
function upload(ctx: SimContext): unknown {
  const { node, storage } = nodeStorage(ctx);
  ctx.check(`/storage/${storage.storage}`, ["Datastore.AllocateTemplate"]);
  if (!TYPES[storage.type]?.path) throw fail(`can't upload to storage type '${storage.type}'`);
  const file = ctx.upload;
  if (!file) throw fail("missing temporary file name");
  const content = ctx.req("content");
  const filename = normalizeFilename(ctx.req("filename"));
  const { format } = checkFilename(content, filename);
  if (!storage.content.includes(content)) throw fail(`storage '${storage.storage}' does not support '${content}' content`);
  const checksum = ctx.str("checksum");
  const algorithm = ctx.str("checksum-algorithm");
  const volid = `${storage.storage}:${dirOf(content)}/${filename}`;
  const tmp = `/var/tmp/pveupload-${createHash("md5").update(`${volid}:${ctx.world.clock.now()}`).digest("hex")}`;
  const dest = volumePath(storage, volid);
  return ctx.task({
    type: "imgcopy",
    id: "",
    durationMs: 2000,
    startLog: [`starting file import from: ${tmp}`],
    run: (log) => {
      if (checksum !== undefined && algorithm !== undefined) {
        const got = file.checksums[algorithm];
        if (got === undefined) throw new Error(`checksum mismatch: got '' != expect '${checksum}'`);
        if (got.toLowerCase() !== checksum.toLowerCase()) {
          log.info("calculating checksum...");
          throw new Error(`checksum mismatch: got '${got}' != expect '${checksum}'`);
        }
        log.info("calculating checksum...OK, checksum verified");
      }
      log.info(`target node: ${node}`);
      log.info(`target file: ${dest}`);
      log.info(`file size is: ${file.size}`);
      log.info(`command: cp -- ${tmp} ${dest}`);
      if (file.size > available(ctx, storage, node)) throw new Error(`import failed: cp: error writing '${dest}': No space left on device`);
      storeVolume(ctx, storage, node, { volid, content: content as VolumeState["content"], format, size: file.size, ctime: ctx.world.clock.nowSeconds() });
      log.info("finished file import successfully");
    },
  });
}

/**
 * `POST …/download-url` (Status.pm download_url): the simulator does not fetch the URL; the `download`
 * task files the volume with size 0 and says so in its log.
 */
function downloadUrl(ctx: SimContext): unknown {
  const { node, storage } = nodeStorage(ctx);
  ctx.check(`/storage/${storage.storage}`, ["Datastore.AllocateTemplate"]);
  if (!(ctx.can("/", ["Sys.Audit", "Sys.Modify"]) || ctx.can(`/nodes/${node}`, ["Sys.AccessNetwork"]))) ctx.check(`/nodes/${node}`, ["Sys.AccessNetwork"]);
  if (!TYPES[storage.type]?.path) throw fail(`can't upload to storage type '${storage.type}', not a file based storage!`);
  const content = ctx.req("content");
  if (!storage.content.includes(content)) throw fail(`storage '${storage.storage}' is not configured for content-type '${content}'`);
  const filename = normalizeFilename(ctx.req("filename"));
  const { format } = checkFilename(content, filename);
  const url = ctx.req("url");
  const volid = `${storage.storage}:${dirOf(content)}/${filename}`;
  const dest = volumePath(storage, volid);
  return ctx.task({
    type: "download",
    id: storage.storage,
    durationMs: 5000,
    startLog: [`downloading ${url} to ${dest}`],
    run: (log) => {
      log.info("simulated download: the URL is not fetched, the volume is filed with size 0");
      storeVolume(ctx, storage, node, { volid, content: content as VolumeState["content"], format, size: 0, ctime: ctx.world.clock.nowSeconds() });
      log.info(`download of '${url}' to '${dest}' finished`);
    },
  });
}

export const storageEndpoints: Endpoint[] = [
  on("GET /storage", (ctx) => {
    const type = ctx.str("type");
    return ctx.state.storages
      .filter((s) => ctx.can(`/storage/${s.storage}`, ["Datastore.Audit", "Datastore.AllocateSpace"], true) && (!type || s.type === type))
      .map((s) => storageView(ctx.state, s));
  }),
  on("POST /storage", createStorage),
  on("GET /storage/{storage}", (ctx) => {
    ctx.check(`/storage/${ctx.req("storage")}`, ["Datastore.Allocate"]);
    return storageView(ctx.state, findConfigured(ctx.state, ctx.req("storage")));
  }),
  on("PUT /storage/{storage}", updateStorage),
  on("DELETE /storage/{storage}", deleteStorage),
  on("GET /nodes/{node}/storage/{storage}/content/{volume}", contentInfo),
  on("PUT /nodes/{node}/storage/{storage}/content/{volume}", updateContent),
  on("DELETE /nodes/{node}/storage/{storage}/content/{volume}", deleteContent),
  on("POST /nodes/{node}/storage/{storage}/upload", upload),
  on("POST /nodes/{node}/storage/{storage}/download-url", downloadUrl),
];
