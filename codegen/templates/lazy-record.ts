/**
 * A record whose data is built on first use. Route and format metadata are hundreds of KB of JSON;
 * parsing it at import time made `import "pvekit"` noticeably slower than undici alone, and most
 * programs touch it only when they send their first request.
 */
export function lazyRecord<T>(load: () => Record<string, T>): Readonly<Record<string, T>> {
  let data: Record<string, T> | undefined;
  const get = (): Record<string, T> => (data ??= load());
  return new Proxy({} as Record<string, T>, {
    get: (_target, key) => (typeof key === "string" ? get()[key] : undefined),
    has: (_target, key) => key in get(),
    ownKeys: () => Reflect.ownKeys(get()),
    getOwnPropertyDescriptor: (_target, key) => {
      const d = Reflect.getOwnPropertyDescriptor(get(), key);
      // the (empty) target holds none of these keys, so the proxy may only report them as configurable
      return d && { ...d, configurable: true };
    },
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  });
}

/**
 * A record of JSON texts, each parsed the first time its key is read: a program that sends one
 * request parses that method's metadata, not the whole API's (≈ 400 KB: 10–30 ms on the first
 * request of a fresh process). Keys, `in` and enumeration do not parse anything.
 */
export function lazyEntries<T>(...sources: readonly Readonly<Record<string, string>>[]): Readonly<Record<string, T>> {
  const texts: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, ...sources);
  const parsed = new Map<string, T>();
  const get = (key: string): T | undefined => {
    const text = texts[key];
    if (text === undefined) return undefined;
    let value = parsed.get(key);
    if (value === undefined) parsed.set(key, (value = JSON.parse(text) as T));
    return value;
  };
  return new Proxy({} as Record<string, T>, {
    get: (_target, key) => (typeof key === "string" ? get(key) : undefined),
    has: (_target, key) => typeof key === "string" && key in texts,
    ownKeys: () => Object.keys(texts),
    // an accessor, so that listing the keys (Object.keys asks for each descriptor) parses nothing
    getOwnPropertyDescriptor: (_target, key) =>
      typeof key === "string" && key in texts ? { get: () => get(key), enumerable: true, configurable: true } : undefined,
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  });
}
