-- IdentityNow service desk integrations (SDIM/SIM), stored in SailPoint's own DTO shape minus
-- secrets (those are sealed in the vault under owner "identitynow:<id>").
create table idn_integrations (
  id text primary key,
  name text not null unique,
  type text not null,
  cluster text,
  dto jsonb not null,
  created_at timestamptz not null default now(),
  modified_at timestamptz not null default now()
);

-- Tenant-wide settings such as the status-check configuration, kept as SailPoint sends them.
create table idn_settings (
  key text primary key,
  value jsonb not null,
  updated_at timestamptz not null default now()
);

-- API clients that may fetch tokens from POST /oauth/token; secrets are stored as scrypt hashes.
create table idn_api_clients (
  client_id text primary key,
  secret_hash text not null,
  role text not null,
  name text not null,
  created_at timestamptz not null default now()
);
