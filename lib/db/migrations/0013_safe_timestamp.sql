-- An upstream time as a timestamp, or null when it is missing or not a real time ("2024-02-30T10:00Z"):
-- one bad value from the partner API must not fail a page (lib/overview/queries.ts).
CREATE OR REPLACE FUNCTION zf_try_timestamptz(value text) RETURNS timestamptz
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  IF value IS NULL OR value !~ '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}' THEN
    RETURN NULL;
  END IF;
  RETURN value::timestamptz;
EXCEPTION WHEN others THEN
  RETURN NULL;
END;
$$;
