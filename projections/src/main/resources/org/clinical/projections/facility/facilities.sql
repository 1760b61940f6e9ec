-- Read model of the projection "facilities": the tenant's facilities as registered, for the facility list.
-- Times come from the events.

-- A code is unique in the tenant (the write side's registry keeps it so): the list's order and its cursor.
create table facility (
    facility_id   uuid primary key,
    code          text        not null unique,
    name          text        not null,
    type          text        not null,
    beds          integer,
    registered_at timestamptz not null,
    version       bigint      not null
);
