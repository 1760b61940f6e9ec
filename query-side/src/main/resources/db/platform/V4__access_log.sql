-- The PHI read-access log (issue 9): one row per patient whose data a read answered, for every tenant of the
-- region (docs/operations.md "Audit: PHI access log"). Partitioned by month on read_at (UTC months): retention
-- drops whole partitions, never rows. Append-only: the database refuses UPDATE, DELETE and TRUNCATE.
create sequence access_log_id_seq;

create table access_log (
    id             bigint      not null default nextval('clinical_platform.access_log_id_seq'),
    read_at        timestamptz not null,
    tenant_id      text        not null,
    patient_id     uuid        not null,
    actor          text        not null,
    roles          text[]      not null,
    endpoint       text        not null,
    correlation_id text        not null,
    purpose_of_use text
) partition by range (read_at);

-- The auditors' walks: the tenant's entries in (read_at, id) order, narrowed by patient or actor.
create index access_log_by_time on access_log (tenant_id, read_at, id);
create index access_log_by_patient on access_log (tenant_id, patient_id, read_at, id);
create index access_log_by_actor on access_log (tenant_id, actor, read_at, id);

create function refuse_access_log_change() returns trigger language plpgsql as $$
begin
    raise exception 'the access log is append-only: % on %.% refused', tg_op, tg_table_schema, tg_table_name
        using errcode = 'insufficient_privilege',
              hint = 'old entries leave only by dropping whole partitions past the retention';
end
$$;

-- Row triggers of a partitioned table are cloned onto every partition, present and future.
create trigger access_log_immutable
    before update or delete on access_log
    for each row execute function refuse_access_log_change();

-- Statement triggers are not cloned: access_log_partition gives each partition its own.
create trigger access_log_no_truncate
    before truncate on access_log
    for each statement execute function refuse_access_log_change();

revoke all on access_log from public;
revoke all on sequence access_log_id_seq from public;

-- The partition of the month holding the instant, created if missing; answers its name. Several instances may
-- call it at once: a transaction-scoped advisory lock serialises them, so the check and the create never race.
create function access_log_partition(at timestamptz) returns text
    language plpgsql set search_path = clinical_platform, pg_temp as $$
declare
    first timestamptz := date_trunc('month', at, 'UTC');
    name  text        := 'access_log_p' || to_char(first at time zone 'UTC', 'YYYY_MM');
begin
    if to_regclass('clinical_platform.' || name) is not null then
        return name;
    end if;
    perform pg_advisory_xact_lock(hashtext('clinical_platform.access_log partitions'));
    if to_regclass('clinical_platform.' || name) is null then
        execute format('create table clinical_platform.%I partition of clinical_platform.access_log'
                       || ' for values from (%L) to (%L)', name, first, first + interval '1 month');
        execute format('create trigger %I before truncate on clinical_platform.%I'
                       || ' for each statement execute function clinical_platform.refuse_access_log_change()',
                       name || '_no_truncate', name);
        execute format('revoke all on clinical_platform.%I from public', name);
    end if;
    return name;
end
$$;

-- Drops the partitions whose whole month ends at or before the cutoff; answers their names. Under the same
-- advisory lock as the creation.
create function access_log_drop_before(cutoff timestamptz) returns setof text
    language plpgsql set search_path = clinical_platform, pg_temp as $$
declare
    partition text;
begin
    perform pg_advisory_xact_lock(hashtext('clinical_platform.access_log partitions'));
    for partition in
        select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = 'clinical_platform.access_log'::regclass and c.relname ~ '^access_log_p\d{4}_\d{2}$'
          and (to_timestamp(substr(c.relname, 13), 'YYYY_MM')::timestamp at time zone 'UTC')
              + interval '1 month' <= cutoff
        order by c.relname
    loop
        execute format('drop table clinical_platform.%I', partition);
        return next partition;
    end loop;
end
$$;
