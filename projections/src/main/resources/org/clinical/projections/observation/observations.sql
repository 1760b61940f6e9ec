-- Read model of ObservationProjection: observations, the latest vital sign per patient and code, and the
-- statistics rollup of quantity values per code, UTC day and facility.

-- Every observation, amended and entered-in-error ones included (they keep their status). Range-partitioned by
-- month of effective_at; the projection creates each month's partition before its first row (no default
-- partition). The key holds the partition column, as PostgreSQL requires.
create table observation (
    observation_id   uuid        not null,
    patient_id       uuid        not null,
    encounter_id     uuid,
    facility_id      uuid,
    code_system      text        not null,
    code             text        not null,
    code_display     text,
    category         text,
    effective_at     timestamptz not null,
    value            jsonb       not null,
    value_num        numeric,
    unit             text,
    range_low        numeric,
    range_high       numeric,
    interpretation   text,
    status           text        not null check (status in ('final', 'amended', 'entered-in-error')),
    version          bigint      not null,
    recorded_at      timestamptz not null,
    updated_at       timestamptz not null,
    amendment_reason text,
    error_reason     text,
    primary key (observation_id, effective_at)
) partition by range (effective_at);
-- No planner statistics for columns that no read filters, joins or groups on as such: the stored value (jsonb:
-- its number is value_num, its unit unit; a column's statistics do not serve expressions on it such as
-- value -> 'components'), the code's display (it follows the code) and the free-text reasons. An analyst's query
-- filtering on one of them gets the planner's default estimate. Computing them was more than half of ANALYZE's
-- time on this table (2.2 of 3.5 s for 300,000 rows), which a rebuild runs before its generation goes live, and
-- autovacuum again as the table grows. Each monthly partition gets the same when it is made (MonthlyPartitions):
-- PostgreSQL does not copy these targets to new partitions.
alter table observation alter column value set statistics 0, alter column code_display set statistics 0,
    alter column amendment_reason set statistics 0, alter column error_reason set statistics 0;

create index observation_effective_brin on observation using brin (effective_at);
-- GET .../patients/{id}/observations: newest first, with or without a code, keyset on (effective_at, id).
create index observation_patient_code on observation (patient_id, code, effective_at desc, observation_id desc);
create index observation_patient on observation (patient_id, effective_at desc, observation_id desc);

-- The newest vital sign (category vital-signs) per patient and code that is not entered in error.
create table latest_vital (
    patient_id     uuid        not null,
    code_system    text        not null,
    code           text        not null,
    code_display   text,
    observation_id uuid        not null,
    effective_at   timestamptz not null,
    value          jsonb       not null,
    status         text        not null,
    interpretation text,
    primary key (patient_id, code_system, code)
);

-- Quantity values per code, unit, UTC day and facility (null: no encounter). A panel's quantity components
-- count under their component code. min/max are null when count is 0. The keys lead with the code and the
-- day: the stats endpoint reads one code over a range of days, with or without its system.
create table observation_stat (
    code_system text    not null,
    code        text    not null,
    unit        text    not null,
    day         date    not null,
    facility_id uuid,
    count       bigint  not null,
    sum         numeric not null,
    min         numeric,
    max         numeric,
    constraint observation_stat_key unique nulls not distinct (code, code_system, day, facility_id, unit)
);

-- The log-scale histogram of the same values (see StatsBuckets): sign -1/0/1 and bucket index k.
create table observation_stat_bucket (
    code_system text     not null,
    code        text     not null,
    unit        text     not null,
    day         date     not null,
    facility_id uuid,
    sign        smallint not null,
    k           int      not null,
    count       bigint   not null,
    constraint observation_stat_bucket_key unique nulls not distinct (code, code_system, day, facility_id, unit, sign, k)
);
