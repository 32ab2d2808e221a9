-- The last change-event sequence the hub took for each record of a connection (LeanIX's
-- transactionSequenceNumber), so that a delivery replayed or arriving late is dropped even after a
-- restart: LeanIX retries a failed PUSH every 50 s for up to 10 days, and a process's memory of
-- what it took ends with the process. One row per record that sent an event a mapping takes;
-- rows untouched for 30 days are pruned by the intake.
create table sync_event_sequences (
  connection_id uuid not null references connections (id) on delete cascade,
  record_id text not null,
  sequence numeric not null,
  seen_at timestamptz not null default now(),
  primary key (connection_id, record_id)
);
create index sync_event_sequences_by_age on sync_event_sequences (seen_at);
