-- Read model of the projection "patients": one row per patient as registered and corrected, the parts of its
-- names for search, its business identifiers. Tables are unqualified: they are created in the generation's schema.
do $$ begin
    create extension if not exists unaccent schema public;
exception when unique_violation or duplicate_object then null;
end $$;
do $$ begin
    create extension if not exists pg_trgm schema public;
exception when unique_violation or duplicate_object then null;
end $$;

create table patient (
    patient_id    uuid primary key,
    mrn           text        not null,
    family        text        not null,
    given         text[]      not null,
    birth_date    date,
    gender        text,
    identifiers   jsonb       not null default '[]',
    telecom       jsonb       not null default '[]',
    address       jsonb,
    active        boolean     not null default true,
    deceased_at   timestamptz,
    merged_into   uuid,
    -- the aggregate's sequence number of the last event applied: the ETag version, and the idempotency guard
    version       bigint      not null,
    registered_at timestamptz not null,
    updated_at    timestamptz not null,
    -- lower(unaccent(family given...)): the order of search results, with patient_id as tie-breaker
    sort_key      text        not null
);
create unique index patient_mrn on patient (mrn);
create index patient_birth_date on patient (birth_date);
create index patient_sort on patient (sort_key, patient_id);

-- Every word or hyphen-separated part of the family and given names, lower(unaccent(...)).
create table patient_name_part (
    part       text not null,
    patient_id uuid not null,
    primary key (patient_id, part)
);
create index patient_name_part_trgm on patient_name_part using gin (part public.gin_trgm_ops);
create index patient_name_part_prefix on patient_name_part (part text_pattern_ops, patient_id);

create table patient_identifier (
    patient_id uuid not null,
    system     text not null,
    value      text not null,
    primary key (patient_id, system, value)
);
create index patient_identifier_value on patient_identifier (value, system);
