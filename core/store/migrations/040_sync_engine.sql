-- The sync engine's tables: mapping versions, the links table (the crosswalk between the two
-- sides of a mapping), per-record run actions, staging of what a full run must look up across
-- the whole other side (kept in the store, not the heap), buffered change events and delta
-- watermarks. Runs gain a checkpoint (committed with each page's actions) and counts as JSON.

alter table mappings add column version integer not null default 1;
alter table mappings add column schema_version integer not null default 1;
alter table mappings add column updated_by text;

create table mapping_versions (
  mapping_id uuid not null references mappings (id) on delete cascade,
  version integer not null,
  schema_version integer not null,
  definition jsonb not null,
  created_at timestamptz not null default now(),
  created_by text,
  note text,
  primary key (mapping_id, version)
);

alter table runs add column kind text not null default 'full' check (kind in ('full', 'delta', 'partial'));
alter table runs add column options jsonb not null default '{}'::jsonb;
alter table runs add column counts jsonb not null default '{}'::jsonb;
alter table runs add column checkpoint jsonb;
-- the run whose staged data and "seen" marks this run continues (itself, or a cancelled run it resumes)
alter table runs add column pass_id uuid;
alter table runs add column mapping_version integer;
alter table runs add column heartbeat_at timestamptz;
alter table runs add column attempts integer not null default 0;
update runs set counts = jsonb_build_object(
  'read', read_count, 'created', created_count, 'updated', updated_count,
  'deleted', deleted_count, 'unchanged', unchanged_count, 'failed', failed_count);
alter table runs drop column read_count;
alter table runs drop column created_count;
alter table runs drop column updated_count;
alter table runs drop column deleted_count;
alter table runs drop column unchanged_count;
alter table runs drop column failed_count;
-- one running run per mapping, whichever hub instance runs it
create unique index runs_one_running on runs (mapping_id) where status = 'RUNNING';
create index runs_by_status on runs (status, queued_at desc);
create index runs_finished on runs (finished_at) where finished_at is not null;

create table run_actions (
  id bigserial primary key,
  run_id uuid not null references runs (id) on delete cascade,
  kind text not null default 'record' check (kind in ('record', 'relation')),
  action text not null check (action in ('CREATE', 'UPDATE', 'DELETE', 'LINK', 'NONE')),
  status text not null check (status in ('PLANNED', 'OK', 'WARNING', 'ERROR', 'SKIPPED')),
  -- the side written: target, or source for fields written against the mapping direction
  side text not null default 'target' check (side in ('source', 'target')),
  source_id text,
  target_id text,
  display text,
  changes jsonb,
  message text,
  at timestamptz not null default now()
);
create index run_actions_by_run on run_actions (run_id, id);
create index run_actions_by_action on run_actions (run_id, action, id);

-- Each linked pair of a mapping. `synced` holds, per field mapping, a hash of the value both
-- sides had when last synced: what lets a run tell which side changed (conflicts) and skip
-- what did not change.
create table sync_links (
  mapping_id uuid not null references mappings (id) on delete cascade,
  source_id text not null,
  target_id text not null,
  origin text not null check (origin in ('created', 'matched', 'identity')),
  created_run_id uuid,
  synced jsonb not null default '{}'::jsonb,
  source_hash text,
  target_hash text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (mapping_id, source_id)
);
create unique index sync_links_by_target on sync_links (mapping_id, target_id);

-- Staging of one pass of a full run: target records in scope (side 't'), the source ids the pass
-- has seen (side 's', what the sweep compares links with), match keys, and relations (from the
-- source, desired and current on the target). Dropped when the pass ends; kept while a cancelled
-- pass may be resumed.
create table sync_stage (
  pass_id uuid not null references runs (id) on delete cascade,
  side char(1) not null,
  record_id text not null,
  identity text,
  display text,
  record jsonb,
  -- the source a target was matched to in this pass (dry runs link nothing, but claim)
  claimed_by text,
  primary key (pass_id, side, record_id)
);
create index sync_stage_by_identity on sync_stage (pass_id, side, identity) where identity is not null;

create table sync_stage_keys (
  pass_id uuid not null references runs (id) on delete cascade,
  rule smallint not null,
  key text not null,
  record_id text not null
);
create index sync_stage_keys_by_key on sync_stage_keys (pass_id, rule, key);

create table sync_stage_relations (
  pass_id uuid not null references runs (id) on delete cascade,
  relation smallint not null,
  side char(1) not null,
  self_id text not null,
  other_id text not null,
  row_id text,
  primary key (pass_id, relation, side, self_id, other_id)
);

-- Change events waiting for a partial run, one row per changed record (a later event for the
-- same record replaces the earlier one): durable from the moment the event is received.
create table sync_changes (
  mapping_id uuid not null references mappings (id) on delete cascade,
  side char(1) not null check (side in ('s', 't')),
  record_id text not null,
  op text not null check (op in ('create', 'update', 'delete')),
  first_at timestamptz not null default now(),
  received_at timestamptz not null default now(),
  claimed_by uuid,
  primary key (mapping_id, side, record_id)
);
create index sync_changes_by_mapping on sync_changes (mapping_id, first_at);

-- Where the last completed read of each side of a mapping ended, for delta runs.
create table sync_watermarks (
  mapping_id uuid not null references mappings (id) on delete cascade,
  side char(1) not null check (side in ('s', 't')),
  watermark text not null,
  updated_at timestamptz not null default now(),
  primary key (mapping_id, side)
);
