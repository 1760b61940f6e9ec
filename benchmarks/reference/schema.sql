-- The reference table: the shape of a tenant's domain_event_entry (same columns, keys and sizes as
-- infra/src/main/resources/db/tenant/V1_0__event_store.sql), so that pgbench measures what one stored event
-- costs PostgreSQL on this machine: a row, three unique indexes and a commit.
drop table if exists ref_event_entry;
create table ref_event_entry (
    global_index         bigserial primary key,
    event_identifier     varchar(255) not null unique,
    aggregate_identifier varchar(255) not null,
    sequence_number      bigint       not null,
    type                 varchar(255),
    time_stamp           varchar(255) not null,
    payload_type         varchar(255) not null,
    payload_revision     varchar(255),
    payload              bytea        not null,
    meta_data            bytea,
    unique (aggregate_identifier, sequence_number)
);
