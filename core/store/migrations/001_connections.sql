-- Connection records: which connector, its settings (no secrets), and its sealed secrets.
create table connections (
  id uuid primary key,
  name text not null unique,
  connector text not null,
  settings jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Sealed values (AES-256-GCM). `owner` binds a secret to its record through the associated data,
-- so a sealed value copied onto another record does not open.
create table secrets (
  owner text not null,
  name text not null,
  key_id text not null,
  nonce bytea not null,
  ciphertext bytea not null,
  tag bytea not null,
  updated_at timestamptz not null default now(),
  primary key (owner, name)
);
