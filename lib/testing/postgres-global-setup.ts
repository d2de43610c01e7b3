/**
 * vitest globalSetup: one throwaway PostgreSQL cluster for the whole run; its admin URL reaches the
 * tests through provide/inject (lib/testing/databases.ts), empty when PostgreSQL is not available.
 */
import type { TestProject } from "vitest/node";
import { startThrowawayPostgres } from "./postgres";

declare module "vitest" {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const pg = await startThrowawayPostgres();
  if ("skipped" in pg) {
    console.warn(`PostgreSQL tests skipped: ${pg.skipped}`);
    project.provide("postgresAdminUrl", "");
    return;
  }
  console.log(`PostgreSQL tests run against a throwaway cluster (${pg.adminUrl})`);
  project.provide("postgresAdminUrl", pg.adminUrl);
  return () => pg.stop();
}
