-- The last check of each connection, whoever made it (an operator over REST or GraphQL, or the
-- periodic check): when, whether it worked, the code and message of a failure, how long it took,
-- and when the connection last worked. One row per connection, replaced by each check; it goes
-- with its connection.
create table connection_health (
  connection_id uuid primary key references connections (id) on delete cascade,
  checked_at timestamptz not null,
  ok boolean not null,
  error_code text,
  message text not null,
  latency_ms integer not null,
  trigger text not null check (trigger in ('manual', 'periodic')),
  last_ok_at timestamptz
);
