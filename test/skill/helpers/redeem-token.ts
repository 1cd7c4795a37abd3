// A separate process redeeming confirm tokens: waits for `<dir>/go`, then redeems every token in
// `<dir>/tokens.json` in order and prints one line per token: ok, used, or another rejection.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfirmTokens } from "../../../src/skill/policy/confirm-tokens";
import { FileUsedTokenStore } from "../../../src/skill/policy/used-token-store";

const [dir] = process.argv.slice(2) as [string];
const tokens = new ConfirmTokens({ key: Buffer.alloc(32, 3), store: new FileUsedTokenStore(join(dir, "confirm-used")) });
const list = JSON.parse(readFileSync(join(dir, "tokens.json"), "utf8")) as string[];
process.stdout.write("ready\n");
while (!existsSync(join(dir, "go"))) {
  // spin: every process starts at the same moment
}
const out = list.map((token) => {
  const r = tokens.redeem(token, { operation: "stop", target: "qemu/100", params: { vmid: 100 } });
  return r.ok ? "ok" : r.reason;
});
process.stdout.write(`${JSON.stringify(out)}\n`);
