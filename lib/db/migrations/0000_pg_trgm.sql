-- Trigram search for the space index (similarity, % and gin_trgm_ops). drizzle-kit never emits
-- CREATE EXTENSION, so it lives in this custom migration, first. PGlite needs the extension loaded
-- in its constructor (lib/db/index.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
