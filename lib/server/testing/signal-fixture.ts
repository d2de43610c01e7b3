/**
 * A child process for shutdown.test.ts: a "request" runs for REQUEST_MS, a background job and a
 * resource are registered, and with NEXT_LIKE=1 a SIGTERM listener registered first exits the
 * way Next's start-server does (process.exit(143) as soon as it has nothing to wait for). Prints
 * each step, so the test can check the order. Sends "ready" once everything is registered.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { hookShutdownSignals, isShuttingDown, onClose, onShutdown, trackRequest } from "../shutdown";

const say = (line: string) => process.stdout.write(`${line}\n`);
if (process.env.NEXT_LIKE === "1") process.on("SIGTERM", () => setImmediate(() => process.exit(143)));
hookShutdownSignals();

let jobRunning = true;
const job = (async () => {
  while (jobRunning) await sleep(20);
  say("job stopped");
})();
onShutdown("job", async () => {
  jobRunning = false;
  await job;
});
onClose("resource", async () => {
  await sleep(50);
  say("resource closed");
});
void trackRequest(async () => {
  await sleep(Number(process.env.REQUEST_MS ?? 0));
  say(`request done, draining=${isShuttingDown()}`);
});
// Something to keep the event loop alive, as a server's listener does.
setInterval(() => undefined, 1_000);
say("ready");
