-- Mappings a re-discovery of a custom connector found broken (a mapped field removed, or its type
-- changed): runs of a flagged mapping are refused, naming the field mappings; saving the mapping
-- again (which validates it against the new schema) or a later discovery that finds it sound
-- clears the flag.
create table mapping_drift (
  mapping_id uuid primary key references mappings (id) on delete cascade,
  custom_connector_id uuid not null references custom_connectors (id) on delete cascade,
  problems jsonb not null,
  flagged_at timestamptz not null default now()
);
