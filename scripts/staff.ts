/**
 * npm run staff -- create --email … --name … --role manager   → prints a one-time set-password link
 * npm run staff -- list
 *
 * The first manager without SQL, on the configured database: DATABASE_URL (PostgreSQL) or the
 * embedded PGlite in $DATA_DIR/pglite. PGlite allows one process per data folder: stop the
 * dashboard first (with PostgreSQL it can keep running). The link goes to NEXTAUTH_URL.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { createDatabase } from "../lib/db";
import { staffAccounts } from "../lib/db/schema";
import { isRole } from "../lib/auth/permissions";
import { issueSetPasswordLink } from "../lib/auth/password-links";
import { createStaffAccount } from "../lib/auth/staff";
import { eq } from "drizzle-orm";

const [command, ...rest] = process.argv.slice(2);
const { values } = parseArgs({ args: rest, options: { email: { type: "string" }, name: { type: "string" }, role: { type: "string" } } });

const url = process.env.DATABASE_URL || undefined;
const handle = await createDatabase(url ? { url } : { dataDir: path.resolve(process.env.DATA_DIR || "./data", "pglite") });
let code = 0;
try {
  if (command === "create") {
    const role = values.role ?? "";
    if (!values.email || !values.name || !isRole(role)) {
      console.error("usage: npm run staff -- create --email name@example.com --name \"Full Name\" --role support|staff|manager");
      code = 2;
    } else {
      const account = await createStaffAccount(handle.db, { email: values.email, name: values.name, role });
      if (!account) {
        console.error(`An account for ${values.email} exists already.`);
        code = 1;
      } else {
        await handle.db.update(staffAccounts).set({ createdByEmail: "npm run staff" }).where(eq(staffAccounts.id, account.id));
        const link = await issueSetPasswordLink(handle.db, account.id, process.env.NEXTAUTH_URL || "http://localhost:3000");
        console.log(`Created ${account.role} ${account.email}. One-time link to set the password (valid until ${link.expiresAt.toISOString()}):`);
        console.log(link.url);
      }
    }
  } else if (command === "list") {
    const rows = await handle.db.select().from(staffAccounts).orderBy(staffAccounts.email);
    for (const r of rows) console.log([r.email, r.role, r.authProvider, r.passwordHash ? "password set" : "no password", r.disabledAt ? "disabled" : "enabled"].join("\t"));
  } else {
    console.error("usage: npm run staff -- create … | list");
    code = 2;
  }
} finally {
  await handle.close();
}
process.exit(code);
