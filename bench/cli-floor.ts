// What any CLI built on pvekit's three libraries pays before doing anything of its own: commander
// parses the arguments, zod checks one small input, undici's pool (the same three parts pvekit loads)
// makes the one HTTPS request and the answer is printed. Bundled like the CLI (bench/cli.ts builds it
// with tsup) and run as a fresh process against the same simulator: the floor under `pvekit guests`.
import { Command } from "commander";
import { setFlagsFromString } from "node:v8";
import * as z from "zod";
import { Pool, buildConnector, poolRequest } from "../src/runtime/undici-parts";

// as bin/pvekit.mjs: llhttp's wasm compiled once, without the optimising pass a process waits for at exit
setFlagsFromString("--liftoff-only");
const program = new Command("floor").option("--json");
program.parse(process.argv);
z.object({ node: z.string().optional(), type: z.enum(["qemu", "lxc"]).optional() }).parse({});
const url = new URL(process.env.PROXMOX_HOST as string);
const pool = new Pool(url.origin, { connect: buildConnector({ rejectUnauthorized: false, maxCachedSessions: 0 }) });
const headers = { authorization: `PVEAPIToken=${process.env.PROXMOX_TOKEN_ID}=${process.env.PROXMOX_TOKEN_SECRET}` };
poolRequest(pool, { path: "/api2/json/cluster/resources?type=vm", method: "GET", headers }, (err, data) => {
  if (err) throw err;
  void data.body.text().then((text) => {
    process.stdout.write(`${JSON.stringify((JSON.parse(text) as { data: unknown }).data, null, 2)}\n`);
    void pool.close();
  });
});
