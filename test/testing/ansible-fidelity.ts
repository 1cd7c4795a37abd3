import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { PveSimulator, SimServer } from "../../src/testing";

const run = promisify(execFile);

/** Where community.general's Proxmox modules come from (Debian's ansible package). */
const COLLECTION = "/usr/lib/python3/dist-packages/ansible_collections/community/general/plugins/modules/proxmox_kvm.py";

/**
 * Why the Ansible fidelity tests cannot run here, or undefined when they can: they need ansible-playbook,
 * community.general's Proxmox modules and python3-proxmoxer for /usr/bin/python3 (Debian: apt-get install
 * ansible python3-proxmoxer).
 */
export async function ansibleMissing(): Promise<string | undefined> {
  const ok = (cmd: string, args: string[]) =>
    run(cmd, args, { timeout: 60_000 }).then(
      () => true,
      () => false,
    );
  if (!(await ok("ansible-playbook", ["--version"]))) return "ansible-playbook is not installed";
  if (!existsSync(COLLECTION)) return "community.general's Proxmox modules are not installed";
  if (!(await ok("/usr/bin/python3", ["-c", "import proxmoxer"]))) return "python3-proxmoxer is not installed for /usr/bin/python3";
  return undefined;
}

/** One task's result as Ansible's json callback reports it. */
export interface TaskResult {
  name: string;
  changed: boolean;
  failed: boolean;
  result: Record<string, unknown>;
}

/**
 * Runs a playbook from test/testing/ansible against a listening simulator: token and password in a
 * private extra-vars file (not on the command line), the simulator's certificate as the CA
 * (validate_certs: true), Ansible's state in a temporary directory, results as JSON.
 */
export async function playbook(sim: PveSimulator, server: SimServer, name: string, extra: Record<string, string> = {}): Promise<{ ok: boolean; tasks: TaskResult[]; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), "pvekit-ansible-"));
  const ca = join(dir, "ca.pem");
  writeFileSync(ca, server.cert);
  const vars = join(dir, "vars.json");
  writeFileSync(
    vars,
    JSON.stringify({
      sim_host: `127.0.0.1:${server.port}`,
      sim_token_secret: sim.credentials.token.secret,
      sim_password: sim.credentials.root.password,
      ansible_python_interpreter: "/usr/bin/python3",
      ...extra,
    }),
  );
  chmodSync(vars, 0o600);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    LANG: "C.UTF-8",
    REQUESTS_CA_BUNDLE: ca,
    ANSIBLE_HOME: join(dir, "ansible"),
    ANSIBLE_LOCAL_TEMP: join(dir, "tmp"),
    ANSIBLE_STDOUT_CALLBACK: "json",
    ANSIBLE_NOCOLOR: "1",
    ANSIBLE_RETRY_FILES_ENABLED: "false",
    ANSIBLE_DEPRECATION_WARNINGS: "false",
    ANSIBLE_LOCALHOST_WARNING: "false",
    ANSIBLE_INVENTORY_UNPARSED_WARNING: "false",
  };
  const file = join(import.meta.dirname, "ansible", name);
  let stdout: string;
  let ok = true;
  try {
    ({ stdout } = await run("ansible-playbook", ["-i", "localhost,", "-e", `@${vars}`, file], { env, maxBuffer: 64 * 1024 * 1024 }));
  } catch (err) {
    ok = false;
    stdout = (err as { stdout?: string }).stdout ?? String(err);
  }
  const tasks: TaskResult[] = [];
  try {
    const report = JSON.parse(stdout) as { plays: { tasks: { task: { name: string }; hosts: Record<string, Record<string, unknown>> }[] }[] };
    for (const play of report.plays) {
      for (const t of play.tasks) {
        const result = t.hosts.localhost ?? {};
        tasks.push({ name: t.task.name, changed: Boolean(result.changed), failed: Boolean(result.failed), result });
      }
    }
  } catch {
    ok = false;
  }
  return { ok, tasks, output: stdout };
}
