create table tenant (
    id         text primary key,
    name       text        not null,
    region     text        not null,
    created_at timestamptz not null
);
