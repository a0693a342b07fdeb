// Where the smoke app mounts the Hono adapter, the token it accepts and the names its scope allows;
// apart from _adapter_app.ts so that the miniflare driver can use them without loading src/.

/** Where the routes are mounted. */
export const ROUTES_BASE = "/api/sandboxes";

/** The bearer token the app accepts. */
export const APP_TOKEN = "smoke-app-token";

/** The prefix of the sandbox names the app's scope allows. */
export const SCOPE_PREFIX = "smoke-";

/** The one port of a sandbox the app's `ports` policy lets the preview route reach. */
export const PREVIEW_PORT = 8765;
