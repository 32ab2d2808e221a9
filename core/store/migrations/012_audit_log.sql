-- Who changed what, when: one row per configuration change, with a redacted summary (never secrets).
create table audit_log (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  actor_id text,
  actor_name text not null,
  actor_kind text not null,
  action text not null,
  target text,
  request_id text,
  summary jsonb not null default '{}'::jsonb
);
create index audit_log_at on audit_log (at desc, id desc);
