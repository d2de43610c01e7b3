import { spawn } from "node:child_process";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { createShutdown, drainMsFromEnv } from "./shutdown";

/** A promise and its resolve function, to finish a fake request when the test says so. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe("the shutdown sequence", () => {
  it("drains at once, stops background work at once, and closes only after the running requests", async () => {
    const events: string[] = [];
    const shutdown = createShutdown({ drainMs: 5_000, log: (m) => events.push(`log: ${m}`) });
    shutdown.onShutdown("job", () => void events.push("job stopped"));
    shutdown.onClose("db", () => void events.push("db closed"));
    const request = gate();
    const answer = shutdown.trackRequest(async () => {
      await request.opened;
      events.push(`request answered, draining=${shutdown.draining}, closing=${shutdown.closing}`);
      return 200;
    });
    expect(shutdown.inFlight).toBe(1);
    expect(shutdown.draining).toBe(false);

    const done = shutdown.run();
    expect(shutdown.draining).toBe(true);
    expect(shutdown.signal.aborted).toBe(true);
    await sleep(30);
    expect(events).toEqual(["job stopped"]);
    expect(shutdown.closing).toBe(false);

    request.open();
    expect(await answer).toBe(200);
    await done;
    expect(events).toEqual(["job stopped", "request answered, draining=true, closing=false", "db closed"]);
    expect(shutdown.inFlight).toBe(0);
    expect(shutdown.closing).toBe(true);
  });

  it("waits for the HTTP server to close too (Next's exit), and for background work that takes a while", async () => {
    const events: string[] = [];
    const shutdown = createShutdown({ drainMs: 5_000 });
    const job = gate();
    shutdown.onShutdown("job", async () => {
      await job.opened;
      events.push("job stopped");
    });
    shutdown.onClose("db", () => void events.push("db closed"));
    const server = gate();
    const done = shutdown.run(server.opened.then(() => events.push("server closed")));
    await sleep(30);
    server.open();
    await sleep(30);
    expect(events).toEqual(["server closed"]);
    job.open();
    await done;
    expect(events).toEqual(["server closed", "job stopped", "db closed"]);
  });

  it("is bounded: a request that never ends does not keep the resources open past the drain time", async () => {
    const logs: string[] = [];
    const shutdown = createShutdown({ drainMs: 150, log: (m) => logs.push(m) });
    let closedAt = 0;
    shutdown.onClose("db", () => void (closedAt = Date.now()));
    void shutdown.trackRequest(() => new Promise(() => undefined));
    const started = Date.now();
    await shutdown.run();
    expect(closedAt - started).toBeGreaterThanOrEqual(140);
    expect(closedAt - started).toBeLessThan(1_000);
    expect(logs.join("\n")).toMatch(/still busy after 150 ms \(1 request\(s\) running\)/);
  });

  it("a failing hook is logged and the others still run; a second run is the first one", async () => {
    const logs: string[] = [];
    const shutdown = createShutdown({ drainMs: 1_000, log: (m) => logs.push(m) });
    let closes = 0;
    shutdown.onShutdown("broken", () => {
      throw new Error("boom");
    });
    shutdown.onClose("db", () => void closes++);
    // Registering under the same name again replaces the hook (hot reloads, repeated starts).
    shutdown.onClose("db", () => void (closes += 10));
    const first = shutdown.run();
    expect(shutdown.run()).toBe(first);
    await first;
    expect(closes).toBe(10);
    expect(logs).toEqual(['Shutdown: stopping "broken" failed: boom']);
  });

  it("reads SHUTDOWN_DRAIN_SECONDS, 20 s by default or when it is not a number of seconds", () => {
    expect(drainMsFromEnv({})).toBe(20_000);
    expect(drainMsFromEnv({ SHUTDOWN_DRAIN_SECONDS: "5" })).toBe(5_000);
    expect(drainMsFromEnv({ SHUTDOWN_DRAIN_SECONDS: "0.5" })).toBe(500);
    expect(drainMsFromEnv({ SHUTDOWN_DRAIN_SECONDS: "0" })).toBe(0);
    for (const bad of ["", " ", "-1", "soon"]) expect(drainMsFromEnv({ SHUTDOWN_DRAIN_SECONDS: bad })).toBe(20_000);
  });
});

/** Runs the fixture, sends SIGTERM once it is ready, and collects its output and exit code. */
async function terminate(env: Record<string, string>): Promise<{ lines: string[]; code: number | null; afterSignalMs: number }> {
  const child = spawn(path.resolve("node_modules/.bin/tsx"), [path.resolve("lib/server/testing/signal-fixture.ts")], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines: string[] = [];
  let signalledAt = 0;
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    for (const line of chunk.split("\n").filter(Boolean)) {
      lines.push(line);
      if (line === "ready") {
        signalledAt = Date.now();
        child.kill("SIGTERM");
      }
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
  return { lines, code, afterSignalMs: Date.now() - signalledAt };
}

describe("SIGTERM in a process", () => {
  it("a plain script: the running request finishes, the job stops, the resource closes, then it exits 143", async () => {
    const run = await terminate({ REQUEST_MS: "300" });
    expect(run.lines).toEqual(["ready", "job stopped", "request done, draining=true", "resource closed"]);
    expect(run.code).toBe(143);
  });

  it("under a server that exits as soon as its connections are done (Next), that exit waits for the resource to close", async () => {
    const run = await terminate({ REQUEST_MS: "300", NEXT_LIKE: "1" });
    expect(run.lines).toEqual(["ready", "job stopped", "request done, draining=true", "resource closed"]);
    expect(run.code).toBe(143);
  });

  it("a request longer than SHUTDOWN_DRAIN_SECONDS does not hold the exit", async () => {
    const run = await terminate({ REQUEST_MS: "20000", NEXT_LIKE: "1", SHUTDOWN_DRAIN_SECONDS: "0.3" });
    expect(run.lines).toEqual(["ready", "job stopped", "resource closed"]);
    expect(run.code).toBe(143);
    expect(run.afterSignalMs).toBeLessThan(3_000);
  });
});
