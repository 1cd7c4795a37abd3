import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { API, mswClient, useMsw } from "./helpers/msw-client";

const server = useMsw();

describe("PveClient decodes answers into the declared types", () => {
  it("an LXC list from a PVE 6 host (strings for numbers, '' for false, null pid) decodes to its generated type", async () => {
    server.use(
      http.get(`${API}/nodes/pve1/lxc`, () =>
        HttpResponse.json({
          data: [
            { vmid: "101", status: "running", pid: "6297", template: "", maxmem: "536870912", name: "ct101", type: "lxc" },
            { vmid: "102", status: "stopped", pid: null, template: 1, name: "tpl", type: "lxc" },
          ],
        }),
      ),
    );
    const cts = await mswClient().api.nodes.$("pve1").lxc.$get();
    expect(cts).toEqual([
      { vmid: 101, status: "running", pid: 6297, template: false, maxmem: 536870912, name: "ct101", type: "lxc" },
      { vmid: 102, status: "stopped", template: true, name: "tpl", type: "lxc" },
    ]);
    const running = cts[0]!;
    expect(running.pid?.toFixed()).toBe("6297");
    expect(running.template ? "template" : "guest").toBe("guest");
  });

  it("a value that cannot convert is kept and named in one debug line (path and property, not the value)", async () => {
    server.use(
      http.get(`${API}/nodes/pve1/qemu`, () =>
        HttpResponse.json({ data: [{ vmid: 100, status: "running", template: "perhaps" }, { vmid: 101, status: "running", template: "perhaps", cpus: "many" }] }),
      ),
    );
    const lines: string[] = [];
    const vms = await mswClient({ logger: { debug: (m) => lines.push(m) } }).request("GET", "/nodes/{node}/qemu", { node: "pve1" });
    expect(vms.map((v) => v.template as unknown)).toEqual(["perhaps", "perhaps"]);
    const decodeLines = lines.filter((l) => l.startsWith("decode "));
    expect(decodeLines).toEqual([
      "decode GET /nodes/{node}/qemu: kept as received: [].template (string, declared boolean), [].cpus (string, declared number)",
    ]);
    expect(decodeLines.join()).not.toContain("perhaps");
  });
});
