import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

/** Every route handler under app/api with its URL and HTTP methods, read from the source. */
export interface RouteHandler {
  file: string;
  url: string;
  methods: string[];
}

const PLACEHOLDER_ID = "00000000-0000-4000-8000-000000000000";

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

export function listRouteHandlers(root = process.cwd()): RouteHandler[] {
  const apiDir = join(root, "app", "api");
  return walk(apiDir)
    .filter((file) => /route\.tsx?$/.test(file))
    .map((file) => {
      const segments = relative(join(root, "app"), file).split(sep).slice(0, -1);
      const url =
        "/" +
        segments
          .filter((s) => !/^\(.*\)$/.test(s)) // route groups are not part of the URL
          .map((s) => (s.startsWith("[...") ? "x" : s.startsWith("[") ? PLACEHOLDER_ID : s))
          .join("/");
      const source = readFileSync(file, "utf8");
      const methods = [...source.matchAll(/export\s+(?:const|async function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)].map(
        (m) => m[1],
      );
      const reexported = [...source.matchAll(/as (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]);
      return { file: relative(root, file), url, methods: [...new Set([...methods, ...reexported])] };
    });
}

/** next-auth's own endpoints, the health and readiness probes and the set-password link answer without a session. */
export const isPublicEndpoint = (handler: RouteHandler) => handler.url.startsWith("/api/auth/") || PROBES.has(handler.url);
const PROBES = new Set(["/api/health", "/api/ready", "/api/password-links"]);
