-- Bearer tokens of the admin API. Only a SHA-256 of each token is kept (see core/auth/token-hash.ts);
-- the token itself is shown once, in the answer that creates it.
create table api_tokens (
  id uuid primary key,
  name text not null,
  role text not null check (role in ('viewer', 'operator', 'admin')),
  token_hash text not null unique,
  -- 'api': created over REST; 'config': CROSSWALK_ADMIN_TOKEN; 'generated': printed at first start
  source text not null check (source in ('api', 'config', 'generated')),
  created_at timestamptz not null default now(),
  created_by text not null,
  created_by_token_id text,
  last_used_at timestamptz,
  revoked_at timestamptz
);
