-- Run in the audit read model's live generation (and one being built) at every start, for a generation made
-- from an older audit.sql: idempotent, and cheap (a column without a default rewrites nothing).
-- A generation upgraded here has row_ref outside its primary key, so a history reads it from audit_event's heap;
-- its rows written before the upgrade have none and are read by the store's primary key. A rebuild of audit
-- gives the generation the whole shape of audit.sql.
alter table audit_event add column if not exists row_ref tid;
