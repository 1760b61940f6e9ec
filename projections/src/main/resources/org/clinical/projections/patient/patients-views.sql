-- Analysts' view of the patients read model. Columns (stable, documented in docs):
--   patient_id, mrn, family, given (text[]), birth_date, gender (male|female|other|unknown),
--   identifiers/telecom/address (jsonb as in the API), active (false once merged), deceased_at,
--   merged_into (the surviving patient), version, registered_at, updated_at (times of the events).
create or replace view {a}.patients as
select patient_id, mrn, family, given, birth_date, gender, identifiers, telecom, address, active, deceased_at,
       merged_into, version, registered_at, updated_at
from {rm}.patient;
