/**
 * Defaults that make a fresh checkout work against the local sandbox without any set-up.
 * They are the sandbox's public demo credentials, not a production secret: production sets
 * ZF_API_BASE_URL, ZF_CLIENT_ID and ZF_CLIENT_SECRET (see README). Imported by the server-side
 * client config and by the sandbox, never by browser code.
 */
export const SANDBOX_DEFAULT_PORT = 4010;
export const DEFAULT_API_BASE_URL = `http://localhost:${SANDBOX_DEFAULT_PORT}/partner`;
export const DEFAULT_CLIENT_ID = "sandbox-client";
export const DEFAULT_CLIENT_SECRET = "sandbox-secret-7f3a9c";
