-- What became of each recorded change: applied, refused (a 4xx answer: bad input, a conflict, a
-- role too weak) or failed (a 5xx answer), with the CW_ code the caller was answered.
alter table audit_log add column outcome text not null default 'applied' check (outcome in ('applied', 'refused', 'failed'));
alter table audit_log add column error_code text;
