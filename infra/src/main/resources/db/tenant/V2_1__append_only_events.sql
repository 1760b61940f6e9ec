-- Stored events are append-only (issue 9): the database refuses to change, remove or empty them, whoever
-- connects. Grants bind the platform's connections when it runs as a role that does not own the schema; the
-- triggers bind every role, the owner's and a superuser's included (only session_replication_role = replica
-- or disabling the triggers gets past them, docs/operations.md "Append-only events").
create or replace function refuse_event_change() returns trigger language plpgsql as $$
begin
    raise exception 'stored events are append-only: % on %.% refused', tg_op, tg_table_schema, tg_table_name
        using errcode = 'insufficient_privilege',
              hint = 'record a correcting event instead of changing a stored one';
end
$$;

-- domain_event_entry_immutable (V1_0) already refuses UPDATE and DELETE row by row.
create trigger domain_event_entry_no_truncate
    before truncate on domain_event_entry
    for each statement execute function refuse_event_change();

revoke update, delete, truncate on domain_event_entry from public;

-- The tenant's analyst role (projections' AnalystRole) never had these rights; this keeps it so if it exists.
do $$
declare
    analyst text := 'clinical_analyst_' || substr('${schema}', 3);
begin
    if exists (select 1 from pg_roles where rolname = analyst) then
        execute format('revoke update, delete, truncate on domain_event_entry from %I', analyst);
    end if;
end
$$;
