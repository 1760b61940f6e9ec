-- Seeds patients straight into a tenant's event store, in the exact stored form of the platform's own events
-- (compact JSON as Jackson writes it, contract type names, revision 2 for PatientRegistered, metadata keys in
-- the serializer's order, time stamps with 6 fraction digits), for the read-side benchmarks (READ_SIDE.md).
--
-- For patient i in [:first, :first + :count): a PatientRegistered (MRN SEED-<i>, a name drawn from the lists
-- below: some families hyphenated, one or two given names, accents) then an EncounterStarted (AMB, open) at
-- one of the tenant's facilities, and the matching rows of the command side's registries, so that later
-- commands on these patients work too. Ids are derived from i (md5), so the observation seeding can name
-- patient i and its encounter without a lookup. Patients and encounters are sequence 0 of new streams.
-- One transaction per call: run.sh calls it per chunk, one chunk after the other (never two at once: a
-- processor must never see a later position committed while an earlier one is still open far behind).
--
--   psql -v schema=t_bench -v tenant=bench -v first=1 -v count=20000 \
--        -v facilities='{<uuid>,<uuid>}' -f benchmarks/seed/patients.sql
\set ON_ERROR_STOP on
begin;
set local search_path = :schema;

-- A v4-shaped uuid derived from a text: md5 with the version and variant digits set.
create function pg_temp.seed_uuid(text) returns text language sql immutable
    as $$ select overlay(overlay(md5($1) placing '4' from 13) placing '8' from 17)::uuid::text $$;

create temporary table seed_patient on commit drop as
with lists as (
    select array['Lindqvist', 'Åberg', 'Martin', 'Bernard', 'Dubois', 'Lefèvre', 'Moreau', 'Müller', 'Schäfer',
                 'García', 'Núñez', 'Fernández', 'Østergaard', 'Sørensen', 'Nguyen', 'Kowalski', 'Nowak',
                 'Smith', 'Johnson', 'Brown', 'Wilson', 'Taylor', 'Rossi', 'Bianchi', 'Esposito', 'Öztürk',
                 'Yılmaz', 'Papadopoulos', 'Novák', 'Horváth', 'Jensen', 'Hansen', 'Virtanen', 'Korhonen',
                 'Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Olsson', 'Persson',
                 'Svensson', 'Gustafsson', 'Pettersson', 'Jönsson', 'Lundström', 'Söderberg', 'Mäkinen',
                 'Dupont', 'Laurent', 'Simon', 'Michel', 'Lefebvre', 'Leroy', 'Roux', 'Fournier', 'Girard',
                 'Bonnet', 'François', 'Mercier', 'Blanc', 'Guérin', 'Boyer', 'Chevalier', 'Rodríguez', 'López',
                 'Martínez', 'Sánchez', 'Pérez', 'Gómez', 'Díaz', 'Álvarez', 'Romero', 'Navarro', 'Iglesias',
                 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Hoffmann', 'Köhler',
                 'Murphy', 'Kelly', 'Byrne', 'Ryan', 'Walsh', 'Van Dijk', 'De Vries', 'Jansen', 'Bakker',
                 'Haddad', 'Khalil', 'Mansour', 'Tanaka', 'Suzuki', 'Kim', 'Park', 'Chen', 'Wang', 'Li'
           ] as family,
           array['Anna', 'Åsa', 'Emma', 'Chloé', 'Léa', 'Zoë', 'Inès', 'Maria', 'María', 'Sofia', 'Sofía',
                 'Elin', 'Ebba', 'Saga', 'Maja', 'Linnéa', 'Ingrid', 'Karin', 'Siobhán', 'Aoife', 'Noémie',
                 'Hélène', 'Agnès', 'Françoise', 'Margit', 'Jürgen', 'Björn', 'Sören', 'Anders', 'Erik',
                 'Lars', 'Nils', 'Olof', 'Hugo', 'Louis', 'Jules', 'Arthur', 'Léo', 'Gabriel', 'Raphaël',
                 'José', 'Jesús', 'Andrés', 'Ramón', 'Mohammed', 'Ahmed', 'Yusuf', 'Ömer', 'Çağlar', 'Mikael',
                 'Jean', 'Pierre', 'Marie', 'Anne', 'Claire', 'Thomas', 'Lukas', 'Jonas', 'Felix', 'Paul',
                 'Peter', 'John', 'James', 'Michael', 'David', 'Sarah', 'Laura', 'Julia', 'Elena', 'Ana',
                 'Hannah', 'Lena', 'Mia', 'Noah', 'Liam', 'Oliver', 'Elias', 'Aino', 'Eetu', 'Kenji', 'Yuki',
                 'Min-jun', 'Ji-woo', 'Wei', 'Mei', 'Amira', 'Omar', 'Nour', 'Ali'
           ] as given
)
select i,
       pg_temp.seed_uuid('seed-patient-' || :'tenant' || '-' || i)   as patient_id,
       pg_temp.seed_uuid('seed-encounter-' || :'tenant' || '-' || i) as encounter_id,
       'SEED-' || lpad(i::text, 7, '0')                             as mrn,
       case when hashint8(i * 7) % 10 = 0
            then family[1 + abs(hashint8(i)) % cardinality(family)] || '-'
                 || family[1 + abs(hashint8(i + 1000003)) % cardinality(family)]
            else family[1 + abs(hashint8(i)) % cardinality(family)] end as family,
       case when hashint8(i * 13) % 3 = 0
            then '"' || given[1 + abs(hashint8(i * 31)) % cardinality(given)] || '","'
                 || given[1 + abs(hashint8(i * 37)) % cardinality(given)] || '"'
            else '"' || given[1 + abs(hashint8(i * 31)) % cardinality(given)] || '"' end as given_json,
       to_char(date '1925-01-01' + abs(hashint8(i * 17)) % 36500, 'YYYY-MM-DD')          as birth_date,
       (array['female', 'male', 'female', 'male', 'other', 'unknown'])[1 + abs(hashint8(i * 19)) % 6] as gender,
       (:'facilities'::text[])[1 + i % cardinality(:'facilities'::text[])]              as facility_id
from lists, generate_series(:first::bigint, :first::bigint + :count::bigint - 1) as i;

-- Recorded now, a microsecond apart in stream order; one command (correlation) per patient, as the API does.
insert into domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type, time_stamp,
                                payload_type, payload_revision, payload, meta_data)
select gen_random_uuid()::text, aggregate_id, 0, aggregate_type,
       to_char((now() at time zone 'UTC') + make_interval(secs => (2 * i + kind) / 1e6),
               'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
       payload_type, payload_revision, convert_to(payload, 'UTF8'),
       convert_to('{"actor":"bench-seed","causationId":"' || gen_random_uuid() || '","correlationId":"'
                  || pg_temp.seed_uuid('seed-correlation-' || :'tenant' || '-' || i || '-' || kind) || '","tenant":"' || :'tenant' || '"}', 'UTF8')
from (
    select i, 0 as kind, patient_id as aggregate_id, 'Patient' as aggregate_type,
           'PatientRegistered' as payload_type, '2' as payload_revision,
           '{"patientId":"' || patient_id || '","mrn":"' || mrn || '","name":{"family":"' || family
               || '","given":[' || given_json || ']},"birthDate":"' || birth_date || '","gender":"' || gender
               || '","identifiers":[],"telecom":[],"address":null}' as payload
    from seed_patient
    union all
    select i, 1, encounter_id, 'Encounter', 'EncounterStarted', '1',
           '{"encounterId":"' || encounter_id || '","patientId":"' || patient_id
               || '","encounterClass":"AMB","facilityId":"' || facility_id || '","location":"Room '
               || (1 + i % 40) || '","startedAt":"'
               || to_char(date_trunc('second', now() at time zone 'UTC') - interval '1 day', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
               || '","reason":null}'
    from seed_patient
) as events
order by i, kind;

insert into patient_registry (patient_id, mrn, status)
select patient_id::uuid, mrn, 'active' from seed_patient;
insert into encounter_registry (encounter_id, patient_id, facility_id, encounter_class, status)
select encounter_id::uuid, patient_id::uuid, facility_id::uuid, 'AMB', 'in-progress' from seed_patient;

commit;
