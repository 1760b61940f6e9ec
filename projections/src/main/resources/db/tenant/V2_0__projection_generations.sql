-- Which generation of each projection's read model the tenant's reads use, and the one being rebuilt.
-- A generation is a schema of its own: r_<tenant>__<projection>_<generation>.
create table projection_generation (
    name           text primary key,
    live           integer     not null,
    building       integer,
    building_since timestamptz,
    switched_at    timestamptz
);
