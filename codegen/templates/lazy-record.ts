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
