/**
 * Where a key named `__proto__` is, at any depth (`params.__proto__`), or undefined. Schema parsing
 * (zod's objects and records) leaves such a key out of what it returns, and assigning it to a plain
 * object sets the prototype instead, so a call carrying one would run without what its caller meant:
 * it is refused instead, like any other argument an operation does not take.
 */
export function protoKeyPath(value: unknown, path = "", seen = new WeakSet<object>()): string | undefined {
  // `seen`: a library caller's object may refer to itself; each object is looked at once
  if (value === null || typeof value !== "object" || seen.has(value)) return undefined;
  seen.add(value);
  for (const [key, v] of Object.entries(value)) {
    const here = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    if (key === "__proto__") return here;
    const deeper = protoKeyPath(v, here, seen);
    if (deeper !== undefined) return deeper;
  }
  return undefined;
}
