/**
 * What this process does on SIGTERM (and SIGINT), in this order:
 *
 * 1. It is *draining*: `/api/ready` answers 503 at once, so a load balancer stops sending, while
 *    `/api/health` still says the process lives. Requests keep being served, with the database.
 * 2. Background work stops (the `onShutdown` hooks: scheduled jobs, the space crawl, a running space
 *    index refresh between two pages, which releases its advisory lock for another instance).
 * 3. Once every request is done, the resources close (the `onClose` hooks: the database).
 * 4. The process exits (143 for SIGTERM, 130 for SIGINT).
 *
 * "Every request is done" is decided by two things. Under `next start`, Next's own signal handler
 * closes the listener, waits for every open connection (pages, streamed answers and keep-alive
 * connections included) and then calls `process.exit(143)`: that call is held here until steps 2
 * and 3 are finished. Where nobody else handles the signal (a plain script, or a server started
 * with NEXT_MANUAL_SIG_HANDLE), the count of running route handlers (`trackRequest`, used by
 * `route()`) reaching zero is enough. Either way everything is bounded by SHUTDOWN_DRAIN_SECONDS
 * (default 20): after that the resources close and the process exits whatever still runs.
 *
 * No imports from the rest of the dashboard: the database and the jobs register themselves here.
 */

type Hook = () => unknown;

export interface ShutdownOptions {
  /** Longest wait for requests and background work before closing anyway. */
  drainMs: number;
  /** Longest wait for the resources to close. */
  closeMs?: number;
  log?: (message: string) => void;
}

export interface Shutdown {
  /** True from the signal on: readiness fails, no new background work starts. */
  readonly draining: boolean;
  /** True once the resources are closing: nothing may open them again. */
  readonly closing: boolean;
  /** Aborted when draining begins; background work checks it between two units of work. */
  readonly signal: AbortSignal;
  /** Route handlers currently running. */
  readonly inFlight: number;
  /** Counts `fn` as an in-flight request until it settles. */
  trackRequest<T>(fn: () => Promise<T>): Promise<T>;
  /** Background work: `stop` is called when draining begins and awaited (bounded). One hook per name. */
  onShutdown(name: string, stop: Hook): void;
  /** A resource: `close` is called after requests and background work are done (bounded). One hook per name. */
  onClose(name: string, close: Hook): void;
  /**
   * Drains and closes; idempotent (a second call returns the first one's promise). Resolves once
   * closed. `serverClosed`: resolves when the HTTP server has no connection left (Next's exit).
   */
  run(serverClosed?: Promise<unknown>): Promise<void>;
}

export function createShutdown(options: ShutdownOptions): Shutdown {
  const log = options.log ?? ((message: string) => console.error(message));
  const closeMs = options.closeMs ?? 5_000;
  const controller = new AbortController();
  const stoppers = new Map<string, Hook>();
  const closers = new Map<string, Hook>();
  let inFlight = 0;
  let idleWaiters: (() => void)[] = [];
  let closing = false;
  let running: Promise<void> | undefined;

  const whenIdle = () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve)));

  /** Runs every hook at once; a hook that throws is logged, never stops the others. */
  const runHooks = (hooks: Map<string, Hook>, what: string) =>
    Promise.all(
      [...hooks].map(async ([name, hook]) => {
        try {
          await hook();
        } catch (error) {
          log(`Shutdown: ${what} "${name}" failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }),
    );

  const shutdown: Shutdown = {
    get draining() {
      return controller.signal.aborted;
    },
    get closing() {
      return closing;
    },
    get signal() {
      return controller.signal;
    },
    get inFlight() {
      return inFlight;
    },
    async trackRequest(fn) {
      inFlight++;
      try {
        return await fn();
      } finally {
        if (--inFlight === 0) {
          const waiters = idleWaiters;
          idleWaiters = [];
          for (const resolve of waiters) resolve();
        }
      }
    },
    onShutdown(name, stop) {
      stoppers.set(name, stop);
    },
    onClose(name, close) {
      closers.set(name, close);
    },
    run(serverClosed = Promise.resolve()) {
      running ??= (async () => {
        controller.abort();
        const drained = await within(
          options.drainMs,
          Promise.all([serverClosed, whenIdle(), runHooks(stoppers, "stopping")]),
        );
        if (!drained) log(`Shutdown: still busy after ${options.drainMs} ms (${inFlight} request(s) running); closing anyway`);
        closing = true;
        if (!(await within(closeMs, runHooks(closers, "closing")))) log(`Shutdown: resources not closed after ${closeMs} ms`);
      })();
      return running;
    },
  };
  return shutdown;
}

/** Whether `work` settled within `ms` (the timer does not keep the process alive). */
async function within(ms: number, work: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** SHUTDOWN_DRAIN_SECONDS (default 20), in milliseconds. */
export function drainMsFromEnv(env: Record<string, string | undefined> = process.env): number {
  const raw = env.SHUTDOWN_DRAIN_SECONDS?.trim();
  const seconds = raw ? Number(raw) : Number.NaN;
  return (Number.isFinite(seconds) && seconds >= 0 ? seconds : 20) * 1_000;
}

// The process-wide instance, on globalThis so hot reloads in `next dev` share one.
const global = globalThis as { __zfShutdown?: { shutdown: Shutdown; signalsHooked?: boolean } };
const processState = (global.__zfShutdown ??= { shutdown: createShutdown({ drainMs: drainMsFromEnv() }) });
const processShutdown = processState.shutdown;

export const isShuttingDown = (): boolean => processShutdown.draining;
export const isClosing = (): boolean => processShutdown.closing;
export const shutdownSignal = (): AbortSignal => processShutdown.signal;
export const trackRequest = <T>(fn: () => Promise<T>): Promise<T> => processShutdown.trackRequest(fn);
export const onShutdown = (name: string, stop: Hook): void => processShutdown.onShutdown(name, stop);
export const onClose = (name: string, close: Hook): void => processShutdown.onClose(name, close);

/** Handles SIGTERM and SIGINT as described at the top; once per process. */
export function hookShutdownSignals(): void {
  if (processState.signalsHooked) return;
  processState.signalsHooked = true;
  const onSignal = (signal: NodeJS.Signals) => {
    if (processShutdown.draining) return; // a second signal changes nothing
    const exit = process.exit.bind(process);
    let exitCode = signal === "SIGINT" ? 130 : 143;
    if (process.listenerCount(signal) === 1) {
      void processShutdown.run().then(() => exit(exitCode));
      return;
    }
    // Next's handler (registered before ours) has begun closing the HTTP server and calls
    // process.exit once every connection is done: hold that exit until the database is closed.
    let serverClosed!: () => void;
    const closed = new Promise<void>((resolve) => (serverClosed = resolve));
    process.exit = ((code?: number | string | null) => {
      if (typeof code === "number") exitCode = code;
      serverClosed();
      return undefined as never;
    }) as typeof process.exit;
    // Also when the drain ran out and the server still waits for a connection: exit regardless.
    void processShutdown.run(closed).then(() => exit(exitCode));
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
