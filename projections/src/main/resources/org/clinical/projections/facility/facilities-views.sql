-- Analysts' view of the facilities read model: the code, name and kind behind the facility_id of the other
-- views. Columns (stable, documented in docs): facility_id, code, name, type (hospital|clinic|lab), beds,
-- registered_at (time of the registration).
create or replace view {a}.facilities as
select facility_id, code, name, type, beds, registered_at
from {rm}.facility;
