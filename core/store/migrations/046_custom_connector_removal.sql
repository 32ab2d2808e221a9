-- A removed custom connector stays as a row until its cleanup is confirmed: its mappings' runs are
-- refused meanwhile (rather than falling back to the bare table) and their links are kept.
alter table custom_connectors add column removed_at timestamptz;
