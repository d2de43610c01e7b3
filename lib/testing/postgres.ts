/**
 * A throwaway PostgreSQL cluster for the test suite (no Docker): initdb into a temp folder, start
 * it on a free loopback port, stop and delete it afterwards. As root, initdb refuses to run, so
 * the cluster belongs to the `postgres` user (../shared/STACK-NOTES.md). Without the server
 * binaries the caller gets a reason to skip, and the PGlite tests still run.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export type ThrowawayPostgres = { adminUrl: string; stop: () => void } | { skipped: string };

function binDir(): string | null {
  if (process.env.PG_BIN && existsSync(path.join(process.env.PG_BIN, "initdb"))) return process.env.PG_BIN;
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) {
    const versions = readdirSync(root).filter((v) => existsSync(path.join(root, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(root, versions[0], "bin");
  }
  for (const dir of (process.env.PATH ?? "").split(":")) if (dir && existsSync(path.join(dir, "initdb"))) return dir;
  return null;
}

/** A TCP port nobody listens on right now (for throwaway servers). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  if (process.env.TEST_POSTGRES === "off") return { skipped: "TEST_POSTGRES=off" };
  const bin = binDir();
  if (!bin) return { skipped: "no PostgreSQL server binaries (initdb) on this machine" };
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), "zf-test-pg-"));
  const data = path.join(dir, "data");
  // As root, run the server as `postgres`; it needs to reach and own the folder.
  const run = (cmd: string, args: string[]) =>
    asRoot ? execFileSync("runuser", ["-u", "postgres", "--", path.join(bin, cmd), ...args], { stdio: "pipe" }) : execFileSync(path.join(bin, cmd), args, { stdio: "pipe" });
  try {
    if (asRoot) {
      chmodSync(dir, 0o777);
    }
    run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
    const port = await freePort();
    // fsync off: a test cluster that dies loses nothing anyone needs.
    run("pg_ctl", ["-D", data, "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`, "-l", path.join(dir, "log"), "-w", "-t", "60", "start"]);
    return {
      adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
      stop: () => {
        try {
          run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const detail = error instanceof Error && "stderr" in error ? String((error as { stderr: Buffer }).stderr).trim() : String(error);
    return { skipped: `the throwaway cluster did not start: ${detail.slice(0, 300)}` };
  }
}
