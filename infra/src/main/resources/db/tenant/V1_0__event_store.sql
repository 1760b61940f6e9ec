-- Axon's JDBC event store, one per tenant schema (column names in snake_case, see TenantEventStores).
create table domain_event_entry (
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

create table snapshot_event_entry (
    aggregate_identifier varchar(255) not null,
    sequence_number      bigint       not null,
    type                 varchar(255) not null,
    event_identifier     varchar(255) not null unique,
    time_stamp           varchar(255) not null,
    payload_type         varchar(255) not null,
    payload_revision     varchar(255),
    payload              bytea        not null,
    meta_data            bytea,
    primary key (aggregate_identifier, sequence_number)
);

create table token_entry (
    processor_name varchar(255) not null,
    segment        integer      not null,
    token          bytea,
    token_type     varchar(255),
    timestamp      varchar(255),
    owner          varchar(255),
    primary key (processor_name, segment)
);

-- Stored events are immutable: nothing may change or remove them.
create function refuse_event_change() returns trigger language plpgsql as $$
begin
    raise exception 'events are immutable: % on % refused', tg_op, tg_table_name using errcode = 'P0001';
end
$$;

create trigger domain_event_entry_immutable
    before update or delete on domain_event_entry
    for each row execute function refuse_event_change();
