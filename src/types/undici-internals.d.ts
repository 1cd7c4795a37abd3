// Types of the undici files src/runtime/undici-parts.ts loads directly (undici ships types for its
// index only). Not part of pvekit's published declarations.
declare module "undici/lib/dispatcher/pool.js" {
  import type { Pool } from "undici";
  const pool: typeof Pool;
  export default pool;
}
declare module "undici/lib/core/connect.js" {
  import type { buildConnector } from "undici";
  const connect: typeof buildConnector;
  export default connect;
}
declare module "undici/lib/api/api-request.js" {
  const request: unknown;
  export default request;
}
