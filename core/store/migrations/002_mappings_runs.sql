-- Mappings (what to keep in step between two connections) and runs (one execution of a mapping).
-- The sync engine fills these; the admin surface reports on them.
create table mappings (
  id uuid primary key,
  name text not null unique,
  source_connection_id uuid not null references connections (id),
  target_connection_id uuid not null references connections (id),
  source_entity text not null,
  target_entity text not null,
  mode text not null default 'conservative' check (mode in ('additive', 'conservative', 'strict')),
  enabled boolean not null default true,
  definition jsonb not null default '{}'::jsonb,
  definition_version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table runs (
  id uuid primary key,
  mapping_id uuid not null references mappings (id) on delete cascade,
  status text not null check (status in ('QUEUED', 'RUNNING', 'OK', 'WARNING', 'ERROR', 'CANCELLED')),
  trigger text not null,
  dry_run boolean not null default false,
  queued_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  read_count integer not null default 0,
  created_count integer not null default 0,
  updated_count integer not null default 0,
  deleted_count integer not null default 0,
  unchanged_count integer not null default 0,
  failed_count integer not null default 0,
  message text,
  cancel_requested boolean not null default false
);

create index runs_by_mapping on runs (mapping_id, queued_at desc);
