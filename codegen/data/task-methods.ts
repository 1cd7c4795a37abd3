/**
 * Task detection. apidoc marks no method as "starts a worker"; a UPID comes back as a bare
 * `{type: "string"}`. A non-GET method whose return is a plain string (no format, enum or pattern) starts a
 * task when its description names a task/UPID or it has no description at all — except these, which return
 * other strings (a lock token, monitor output).
 */
export const NOT_TASK_METHODS: ReadonlySet<string> = new Set([
  "POST /cluster/sdn/lock",
  "POST /nodes/{node}/qemu/{vmid}/monitor",
]);

/** Description words that mark a returned string as a task id. */
export const TASK_RETURN_HINT = /\b(UPID|task)\b/i;
