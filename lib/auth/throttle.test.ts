import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/lib/db";
import { testDatabases } from "@/lib/testing/databases";
import { signInThrottle } from "@/lib/db/schema";
import {
  accountKey,
  addressKey,
  clearAccount,
  clientAddress,
  recordFailure,
  recordSignInFailure,
  secondsLocked,
  throttleSettings,
  type ThrottleSettings,
} from "@/lib/auth/throttle";

let handle: DatabaseHandle;

// The same tests on the embedded database and on PostgreSQL (several instances share one).
describe.each(testDatabases())(`the sign-in throttle on $name`, ({ open }) => {
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => {
    await handle.close();
  });


  const settings: ThrottleSettings = { accountLimit: 5, addressLimit: 20, windowSeconds: 900, baseLockSeconds: 2, maxLockSeconds: 900 };

  async function fail(key: string, times: number, limit = settings.accountLimit, s = settings): Promise<void> {
    for (let i = 0; i < times; i++) await recordFailure(handle.db, key, limit, s);
  }

  async function row(key: string) {
    const [found] = await handle.db.select().from(signInThrottle).where(eq(signInThrottle.key, key));
    return found;
  }

  describe("accountKey and addressKey", () => {
    it("ignore case and surrounding spaces of an e-mail", () => {
      expect(accountKey("  Staff@Example.COM ")).toBe("account:staff@example.com");
      expect(accountKey("staff@example.com")).toBe(accountKey("STAFF@example.com\t"));
      expect(accountKey("a@example.com")).not.toBe(accountKey("b@example.com"));
    });

    it("keep accounts and addresses apart", () => {
      expect(addressKey("10.0.0.1")).toBe("address:10.0.0.1");
      expect(addressKey("x")).not.toBe(accountKey("x"));
    });
  });

  describe("clientAddress", () => {
    it("takes the last X-Forwarded-For entry", () => {
      expect(clientAddress("203.0.113.9, 10.0.0.2, 10.0.0.3", {})).toBe("10.0.0.3");
      expect(clientAddress(" 198.51.100.7 ", {})).toBe("198.51.100.7");
    });

    it("skips TRUSTED_PROXY_HOPS entries from the end", () => {
      expect(clientAddress("203.0.113.9, 10.0.0.2, 10.0.0.3", { TRUSTED_PROXY_HOPS: "1" })).toBe("10.0.0.2");
      expect(clientAddress("203.0.113.9, 10.0.0.2, 10.0.0.3", { TRUSTED_PROXY_HOPS: "2" })).toBe("203.0.113.9");
      // more hops than entries: the first one, never undefined
      expect(clientAddress("203.0.113.9, 10.0.0.2", { TRUSTED_PROXY_HOPS: "5" })).toBe("203.0.113.9");
    });

    it("ignores a TRUSTED_PROXY_HOPS that is no count", () => {
      expect(clientAddress("1.1.1.1, 2.2.2.2", { TRUSTED_PROXY_HOPS: "abc" })).toBe("2.2.2.2");
      expect(clientAddress("1.1.1.1, 2.2.2.2", { TRUSTED_PROXY_HOPS: "-3" })).toBe("2.2.2.2");
    });

    it("reads the env argument, not process.env", () => {
      const saved = process.env.TRUSTED_PROXY_HOPS;
      process.env.TRUSTED_PROXY_HOPS = "1";
      try {
        expect(clientAddress("1.1.1.1, 2.2.2.2", {})).toBe("2.2.2.2");
      } finally {
        if (saved === undefined) delete process.env.TRUSTED_PROXY_HOPS;
        else process.env.TRUSTED_PROXY_HOPS = saved;
      }
    });

    it("answers `unknown` without a header", () => {
      expect(clientAddress(null, {})).toBe("unknown");
      expect(clientAddress(undefined, {})).toBe("unknown");
      expect(clientAddress(" , ,", {})).toBe("unknown");
    });
  });

  describe("throttleSettings", () => {
    it("reads limits and the base lock from the environment, with defaults", () => {
      expect(throttleSettings({})).toEqual({ accountLimit: 5, addressLimit: 20, windowSeconds: 900, baseLockSeconds: 30, maxLockSeconds: 900 });
      expect(throttleSettings({ SIGN_IN_ACCOUNT_LIMIT: "3", SIGN_IN_ADDRESS_LIMIT: "50", SIGN_IN_LOCK_SECONDS: "10" })).toMatchObject({
        accountLimit: 3,
        addressLimit: 50,
        baseLockSeconds: 10,
      });
      expect(throttleSettings({ SIGN_IN_ACCOUNT_LIMIT: "0", SIGN_IN_LOCK_SECONDS: "x" })).toMatchObject({ accountLimit: 5, baseLockSeconds: 30 });
    });
  });

  describe("recordFailure and secondsLocked", () => {
    it("reports 0 for a key that never failed", async () => {
      expect(await secondsLocked(handle.db, [accountKey("nobody@example.com")])).toBe(0);
      expect(await secondsLocked(handle.db, [])).toBe(0);
    });

    it("does not lock before the limit and locks for the base delay at the limit", async () => {
      const key = accountKey("limit@example.com");
      await fail(key, 4);
      expect(await secondsLocked(handle.db, [key])).toBe(0);
      expect((await row(key)).failures).toBe(4);

      await fail(key, 1);
      const locked = await secondsLocked(handle.db, [key]);
      expect(locked).toBeGreaterThanOrEqual(1);
      expect(locked).toBeLessThanOrEqual(2);
      expect((await row(key)).failures).toBe(5);
    });

    it("doubles the lock with every further failure, up to the maximum", async () => {
      const key = accountKey("doubling@example.com");
      const s = { ...settings, maxLockSeconds: 10 };
      await fail(key, 5, 5, s);
      expect(await secondsLocked(handle.db, [key])).toBeLessThanOrEqual(2);

      await fail(key, 1, 5, s); // 6th
      let locked = await secondsLocked(handle.db, [key]);
      expect(locked).toBeGreaterThan(2);
      expect(locked).toBeLessThanOrEqual(4);

      await fail(key, 1, 5, s); // 7th
      locked = await secondsLocked(handle.db, [key]);
      expect(locked).toBeGreaterThan(6);
      expect(locked).toBeLessThanOrEqual(8);

      await fail(key, 1, 5, s); // 8th: 16 s, capped at 10
      locked = await secondsLocked(handle.db, [key]);
      expect(locked).toBeGreaterThan(8);
      expect(locked).toBeLessThanOrEqual(10);

      await fail(key, 5, 5, s); // far beyond: still the maximum
      locked = await secondsLocked(handle.db, [key]);
      expect(locked).toBeGreaterThan(8);
      expect(locked).toBeLessThanOrEqual(10);
    });

    it("locks at the first failure with a limit of 1", async () => {
      const key = accountKey("limit-one@example.com");
      await fail(key, 1, 1);
      const locked = await secondsLocked(handle.db, [key]);
      expect(locked).toBeGreaterThanOrEqual(1);
      expect(locked).toBeLessThanOrEqual(2);
    });

    it("lets a lock expire", async () => {
      const key = accountKey("expiry@example.com");
      await fail(key, 5, 5, { ...settings, baseLockSeconds: 2 });
      const now = Date.now();
      expect(await secondsLocked(handle.db, [key], new Date(now))).toBeGreaterThan(0);
      expect(await secondsLocked(handle.db, [key], new Date(now + 1_000))).toBeGreaterThan(0);
      expect(await secondsLocked(handle.db, [key], new Date(now + 3_000))).toBe(0);
    });

    it("lets a short lock run out in real time", async () => {
      const key = accountKey("real-time@example.com");
      await fail(key, 5, 5, { ...settings, baseLockSeconds: 1 });
      expect(await secondsLocked(handle.db, [key])).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      expect(await secondsLocked(handle.db, [key])).toBe(0);
    });

    it("starts counting again once the window has passed", async () => {
      const key = accountKey("window@example.com");
      await fail(key, 4, 5);
      await handle.db.update(signInThrottle).set({ windowStartedAt: new Date(Date.now() - 901_000) }).where(eq(signInThrottle.key, key));
      await fail(key, 1, 5);
      expect((await row(key)).failures).toBe(1);
      expect(await secondsLocked(handle.db, [key])).toBe(0);
    });

    it("keeps different keys independent", async () => {
      const locked = accountKey("locked@example.com");
      const other = accountKey("other@example.com");
      await fail(locked, 5);
      await fail(other, 2);
      expect(await secondsLocked(handle.db, [locked])).toBeGreaterThan(0);
      expect(await secondsLocked(handle.db, [other])).toBe(0);
      expect((await row(other)).failures).toBe(2);
      // with several keys: the longest lock among them
      expect(await secondsLocked(handle.db, [other, locked])).toBeGreaterThan(0);
    });

    it("counts an e-mail spelled with other case and spaces as the same account", async () => {
      for (const email of ["Case@Example.com", " case@example.com", "CASE@EXAMPLE.COM ", "case@example.com", "cAsE@example.com"]) {
        await recordFailure(handle.db, accountKey(email), settings.accountLimit, settings);
      }
      expect((await row("account:case@example.com")).failures).toBe(5);
      expect(await secondsLocked(handle.db, [accountKey("CASE@example.com")])).toBeGreaterThan(0);
    });

    it("counts 20 concurrent failures on one key as 20", async () => {
      const key = addressKey("198.51.100.20");
      await Promise.all(Array.from({ length: 20 }, () => recordFailure(handle.db, key, settings.addressLimit, settings)));
      const rows = await handle.db.select().from(signInThrottle).where(eq(signInThrottle.key, key));
      expect(rows).toHaveLength(1);
      expect(rows[0].failures).toBe(20);
      expect(await secondsLocked(handle.db, [key])).toBeGreaterThan(0);
    });
  });

  describe("recordSignInFailure and clearAccount", () => {
    it("counts against the account and the address", async () => {
      await recordSignInFailure(handle.db, "Both@Example.com", "192.0.2.1", settings);
      expect((await row(accountKey("both@example.com"))).failures).toBe(1);
      expect((await row(addressKey("192.0.2.1"))).failures).toBe(1);
    });

    it("clears the account's lock but not the address's", async () => {
      const email = "clear@example.com";
      const address = "192.0.2.50";
      const s = { ...settings, addressLimit: 5 };
      for (let i = 0; i < 5; i++) await recordSignInFailure(handle.db, email, address, s);
      expect(await secondsLocked(handle.db, [accountKey(email)])).toBeGreaterThan(0);
      expect(await secondsLocked(handle.db, [addressKey(address)])).toBeGreaterThan(0);

      await clearAccount(handle.db, " Clear@Example.com ");
      expect(await secondsLocked(handle.db, [accountKey(email)])).toBe(0);
      expect(await row(accountKey(email))).toBeUndefined();
      expect(await secondsLocked(handle.db, [addressKey(address)])).toBeGreaterThan(0);
      expect(await secondsLocked(handle.db, [accountKey(email), addressKey(address)])).toBeGreaterThan(0);
      expect((await row(addressKey(address))).failures).toBe(5);
    });

    it("starts the account from zero after clearing", async () => {
      const email = "restart@example.com";
      await fail(accountKey(email), 4);
      await clearAccount(handle.db, email);
      await fail(accountKey(email), 4);
      expect(await secondsLocked(handle.db, [accountKey(email)])).toBe(0);
      expect((await row(accountKey(email))).failures).toBe(4);
    });
  });
});
