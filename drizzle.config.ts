import { defineConfig } from "drizzle-kit";

// Only for `npx drizzle-kit generate`. Migrations are applied by the app at start-up
// (lib/db/index.ts), because `drizzle-kit migrate` against PGlite fails on the pg_trgm migration.
export default defineConfig({
  dialect: "postgresql",
  schema: "./lib/db/schema.ts",
  out: "./lib/db/migrations",
});
