-- Every change that can end a token's validity (revoked, role, name or hash changed, row deleted) is
-- announced on the channel crosswalk_api_tokens, from any path that makes it: the API, the
-- CROSSWALK_ADMIN_TOKEN replacement at start, or an operator's own SQL. Hub instances cache verified
-- tokens on the strength of this (plugins/auth.ts). The payload is the token's id and whether it
-- is revoked now; a notification is delivered when the change commits. last_used_at, written once a
-- minute per token, is left out.
create function crosswalk_api_token_changed() returns trigger language plpgsql as $$
begin
  perform pg_notify(
    'crosswalk_api_tokens',
    json_build_object(
      'id', old.id,
      'revoked', tg_op = 'DELETE' or new.revoked_at is not null
    )::text
  );
  return null;
end
$$;

create trigger api_tokens_changed
  after update of revoked_at, role, name, token_hash or delete on api_tokens
  for each row execute function crosswalk_api_token_changed();
