// The same 10-line consumer program written against pvekit and against proxmox-api (npm), for the
// type-check benchmark. Kept as strings: bench/type-check.ts writes them under bench/.tmp/ (git-ignored,
// and outside the project's own type-check) so each compiles exactly as a user's project would.

const SECRET = "00000000-0000-4000-8000-000000000000";

/** pvekit: list VMs, read one's status, create one with a NIC, start it, read the task status. */
export const pvekitProgram = `import { PveClient } from "pvekit";
const pve = new PveClient({ baseUrl: "pve1.example", auth: { tokenId: "ci@pve!ci", secret: "${SECRET}" } });
export async function main(): Promise<void> {
  const vms = await pve.api.nodes.$("pve1").qemu.$get();
  for (const vm of vms) console.log(vm.vmid, vm.name, vm.status, vm.maxmem);
  const current = await pve.api.nodes.$("pve1").qemu.$(100).status.current.$get();
  console.log(current.cpu, current.mem, current.qmpstatus);
  await pve.api.nodes.$("pve1").qemu.$post({ vmid: 101, name: "web", memory: "2048", net0: "virtio,bridge=vmbr0" });
  const upid = await pve.api.nodes.$("pve1").qemu.$(101).status.start.$post();
  console.log((await pve.api.nodes.$("pve1").tasks.$(upid).status.$get()).exitstatus);
}
`;

/**
 * pvekit through \`request()\` with concrete paths (\`/nodes/pve1/qemu\`), each resolved to its template's
 * types at compile time: the same calls as above, so its cost compares with the same proxmox-api program.
 */
export const pvekitRequestProgram = `import { PveClient } from "pvekit";
const pve = new PveClient({ baseUrl: "pve1.example", auth: { tokenId: "ci@pve!ci", secret: "${SECRET}" } });
export async function main(): Promise<void> {
  const vms = await pve.request("GET", "/nodes/pve1/qemu");
  for (const vm of vms) console.log(vm.vmid, vm.name, vm.status, vm.maxmem);
  const current = await pve.request("GET", "/nodes/pve1/qemu/100/status/current");
  console.log(current.cpu, current.mem, current.qmpstatus);
  await pve.request("POST", "/nodes/pve1/qemu", { vmid: 101, name: "web", memory: "2048", net0: "virtio,bridge=vmbr0" });
  const upid = await pve.request("POST", "/nodes/pve1/qemu/101/status/start");
  console.log((await pve.request("GET", \`/nodes/pve1/tasks/\${upid}/status\`)).exitstatus);
}
`;

/** proxmox-api: the same calls, line for line. */
export const proxmoxApiProgram = `import proxmoxApi from "proxmox-api";
const pve = proxmoxApi({ host: "pve1.example", tokenID: "ci@pve!ci", tokenSecret: "${SECRET}" });
export async function main(): Promise<void> {
  const vms = await pve.nodes.$("pve1").qemu.$get();
  for (const vm of vms) console.log(vm.vmid, vm.name, vm.status, vm.maxmem);
  const current = await pve.nodes.$("pve1").qemu.$(100).status.current.$get();
  console.log(current.cpu, current.mem, current.qmpstatus);
  await pve.nodes.$("pve1").qemu.$post({ vmid: 101, name: "web", memory: "2048", net0: "virtio,bridge=vmbr0" });
  const upid = await pve.nodes.$("pve1").qemu.$(101).status.start.$post();
  console.log((await pve.nodes.$("pve1").tasks.$(upid).status.$get()).exitstatus);
}
`;

/** One tsconfig for both: what `tsc --init` users typically have (strict, skipLibCheck). */
export const consumerTsconfig = JSON.stringify(
  {
    compilerOptions: {
      target: "es2022",
      module: "esnext",
      moduleResolution: "bundler",
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      types: ["node"],
    },
    files: ["main.ts"],
  },
  null,
  2,
);
