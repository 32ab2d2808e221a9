-- Custom connectors: a table of a connection (a ServiceNow custom table) registered by an admin
-- at run time, with the schema the hub discovered for it. Every hub instance on the store reads
-- them from here, so one added on any instance is used by all without a restart. A connection
-- holds at most one per entity; the connection cannot be deleted while one refers to it.
create table custom_connectors (
  id uuid primary key,
  name text not null unique,
  connection_id uuid not null references connections (id),
  base_connector text not null,
  entity text not null,
  key_field text not null,
  display_field text not null,
  -- the field subset the connector offers, null for every field of the table
  fields jsonb,
  -- a constraint in the base connector's filter language, ANDed to every read
  filter text,
  -- the entity as discovered (EntityDescription), the subset applied
  schema jsonb not null,
  discovered_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (connection_id, entity)
);
create index custom_connectors_connection on custom_connectors (connection_id);
