-- Analysts' views over the live generation of the "encounters" read model.
create or replace view {a}.encounters as
    select encounter_id, patient_id, encounter_class, facility_id, location, status, started_at, ended_at, reason,
           disposition
    from {rm}.encounter;

create or replace view {a}.encounter_daily as
    select day, facility_id, encounter_class, count
    from {rm}.encounter_daily
    where count > 0;

create or replace view {a}.census as
    select facility_id, location, count(*) as open_encounters
    from {rm}.census
    group by facility_id, location;
