-- Runs queued in one transaction share queued_at (now() is the transaction's time), and a tie
-- broken by the random id made "the latest run of a mapping" change between two reads. A
-- sequence taken at insert orders them as they were queued.
alter table runs add column queued_seq bigint generated always as identity;
