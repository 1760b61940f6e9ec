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

-- Every word or hyphen-separated part of the family and given names, lower(unaccent(...)), with the patient's
-- sort key so a search sorts its matches from this index alone.
create table patient_name_part (
    part       text not null,
    patient_id uuid not null,
    sort_key   text not null,
    primary key (patient_id, part)
);
create index patient_name_part_word on patient_name_part (part, sort_key, patient_id);

-- The vocabulary of name parts: every distinct part ever seen (thousands of words, not one per patient).
-- A search first finds the words its query matches here, by prefix (btree) or by trigram similarity
-- (GiST, nearest first), then the patients by exact part.
create table name_word (
    word text primary key
);
create index name_word_trgm on name_word using gist (word public.gist_trgm_ops);
create index name_word_prefix on name_word (word text_pattern_ops);

create table patient_identifier (
    patient_id uuid not null,
    system     text not null,
    value      text not null,
    primary key (patient_id, system, value)
);
create index patient_identifier_value on patient_identifier (value, system);
