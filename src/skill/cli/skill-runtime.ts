/**
 * What running an operation needs besides the operation itself — settings, connection, the skill
 * and its policy, the command builder — in one module the CLI loads on demand: one dynamic import
 * (a few bundle files) instead of one per module, and nothing of it for `--help` or `usage`.
 */
export { resolveSkillSettings } from "../settings";
export { connect } from "../connect";
export { PveSkill } from "../pve-skill";
export { loadOperation } from "../operations/registry";
export { operationCommand } from "./operation-command";
