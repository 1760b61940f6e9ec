-- Run in the audit read model's live generation (and one being built) at every start of every instance, for a
-- generation made from an older audit.sql. Idempotent, and without a lock when there is nothing to do: ALTER
-- TABLE takes an exclusive lock even with IF NOT EXISTS, and would queue every read of audit_event behind a long
-- history being read at that moment. A column without a default rewrites nothing.
-- A generation upgraded here has row_ref outside its primary key, so a history reads it from audit_event's heap;
-- its rows written before the upgrade have none and are read by the store's primary key. A rebuild of audit
-- gives the generation the whole shape of audit.sql.
do $$
begin
    if not exists (select 1 from pg_attribute
                   where attrelid = 'audit_event'::regclass and attname = 'row_ref' and not attisdropped) then
        alter table audit_event add column row_ref tid;
    end if;
end
$$;
