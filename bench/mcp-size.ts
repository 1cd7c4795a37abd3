import { spawn } from "node:child_process";
import { join } from "node:path";

// What an agent's context gets at the start of every conversation: the `tools/list` answer of
// `pvekit mcp`, over its real stdio transport, per mode.

const root = join(import.meta.dirname, "..");

export interface McpSize {
  mode: string;
  tools: number;
  /** characters of the JSON `tools/list` result */
  chars: number;
}

/** Starts `pvekit mcp --mode <mode>`, initializes, lists the tools, closes stdin. */
export function measureMcpToolsList(mode: string, env: NodeJS.ProcessEnv): Promise<McpSize> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, "bin", "pvekit.mjs"), "mcp", "--mode", mode], { cwd: root, env, stdio: ["pipe", "pipe", "pipe"] });
    let buf = "";
    let stderr = "";
    const send = (msg: object): void => void child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", ...msg })}\n`);
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => reject(new Error(`pvekit mcp --mode ${mode} exited ${status} before answering tools/list: ${stderr}`)));
    child.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      for (let nl = buf.indexOf("\n"); nl >= 0; nl = buf.indexOf("\n")) {
        const msg = JSON.parse(buf.slice(0, nl)) as { id?: number; result?: { tools?: unknown[] } };
        buf = buf.slice(nl + 1);
        if (msg.id === 1) {
          send({ method: "notifications/initialized" });
          send({ id: 2, method: "tools/list", params: {} });
        } else if (msg.id === 2 && msg.result?.tools) {
          child.removeAllListeners("close");
          child.stdin.end();
          resolve({ mode, tools: msg.result.tools.length, chars: JSON.stringify(msg.result).length });
        }
      }
    });
    send({ id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "0" } } });
  });
}
