-- Vault master keys by id (never the key itself): which key seals the secrets now, and which
-- were retired by a rotation. An instance started with another key refuses to start.
create table vault_keys (
  key_id text primary key,
  activated_at timestamptz not null default now(),
  retired_at timestamptz
);
create unique index vault_keys_one_active on vault_keys ((true)) where retired_at is null;
