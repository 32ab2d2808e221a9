-- One row per provisioning plan routed to a service desk integration. `correlation_id` is the
-- plan's idempotency key; it is also written on the ticket so that a create that happened before
-- a crash is found again instead of repeated.
create table idn_provisioning (
  correlation_id text primary key,
  integration_id text not null,
  source_id text not null,
  source_name text not null,
  plan jsonb not null,
  -- creating: a ticket create may be in flight; queued/committed/failed: mapped ticket status;
  -- expired: polling gave up after the maximum days
  state text not null,
  ticket_type text not null,
  ticket_table text,
  ticket_number text,
  ticket_sys_id text,
  external_state text,
  result text,
  created_at timestamptz not null default now(),
  next_check_at timestamptz,
  last_checked_at timestamptz,
  closed_at timestamptz,
  closed_by text,
  message text
);

create index idn_provisioning_due on idn_provisioning (next_check_at) where state in ('queued', 'creating');
create index idn_provisioning_ticket on idn_provisioning (ticket_number);
