-- The keys a graph-rule read stages while it walks ServiceNow (connectors/servicenow-sam/graph):
-- which records a rule lets through and the business applications each is related to, so that
-- the walk's memory does not grow with cmdb_rel_ci or the installation table. One stage per read,
-- dropped when the read completes, or a day later when a read was left unfinished.
create table sam_graph_stages (
  stage_key text primary key,
  started_at timestamptz not null default now()
);

create table sam_graph_stage (
  stage_key text not null references sam_graph_stages (stage_key) on delete cascade,
  rule_index integer not null,
  item_id text not null,
  -- '' when the rule relates the record to no application (the IN_USE rules)
  app_id text not null,
  primary key (stage_key, item_id, app_id, rule_index)
);
