-- API clients are revoked, not deleted: the record stays listable (who had access, until when),
-- and a revoked client's tokens stop working at once (each token is checked against this row).
alter table idn_api_clients add column revoked_at timestamptz;
