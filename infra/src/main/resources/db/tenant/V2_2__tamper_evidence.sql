-- Tamper evidence of the stored events (issue 9 item 4, docs/operations.md "Audit: tamper evidence").
--
-- 1. Every event carries chain_hash = sha256(chain_hash of the previous event of its aggregate || its canonical
--    bytes), set by a row trigger as it is inserted: one chain per aggregate, linked through the unique index on
--    (aggregate_identifier, sequence_number), so appends of different aggregates never wait on each other.
-- 2. Checkpoints over the stream order, sealed after commit by the platform's sealer (AuditSealer) outside the
--    event table: audit_checkpoint, audit_checkpoint_late, audit_checkpoint_hole, all three append-only.

-- The bytes of a stored event that its chain hash covers: position and sequence as 8-byte integers; the text
-- columns in one UTF-8 text, each preceded by its length in characters ('-' for null), so that no two different
-- rows give the same bytes; then payload and metadata, each preceded by its 4-byte length (metadata -1 when
-- null). STABLE, not IMMUTABLE (convert_to and concat_ws are stable): PostgreSQL then inlines it, in the trigger
-- and in the verification's query alike, instead of calling it as a function (four times slower).
create function event_chain_bytes(global_index bigint, event_identifier text, aggregate_identifier text,
                                  sequence_number bigint, type text, time_stamp text, payload_type text,
                                  payload_revision text, payload bytea, meta_data bytea)
    returns bytea language sql stable parallel safe as $$
select int8send(global_index) || int8send(sequence_number)
    || convert_to(concat_ws('|', length(event_identifier), event_identifier,
                                 length(aggregate_identifier), aggregate_identifier,
                                 coalesce(length(type)::text, '-'), type,
                                 length(time_stamp), time_stamp,
                                 length(payload_type), payload_type,
                                 coalesce(length(payload_revision)::text, '-'), payload_revision), 'UTF8')
    || int4send(octet_length(payload)) || payload
    || coalesce(int4send(octet_length(meta_data)) || meta_data, '\xffffffff'::bytea)
$$;

-- Sets chain_hash of every inserted event, whatever the insert supplied: the previous event of the aggregate is
-- found through the unique index (rows inserted earlier by the same statement are visible to a row trigger, so a
-- batch of several events of one aggregate chains in order). The first event of an aggregate, and an event
-- whose predecessor is missing (the verification reports it), chain from 32 zero bytes.
create function event_chain_link() returns trigger language plpgsql as $$
declare
    previous bytea;
begin
    if new.sequence_number > 0 then
        select e.chain_hash into previous from ${schema}.domain_event_entry e
        where e.aggregate_identifier = new.aggregate_identifier and e.sequence_number = new.sequence_number - 1;
    end if;
    new.chain_hash := sha256(coalesce(previous, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)
        || ${schema}.event_chain_bytes(new.global_index, new.event_identifier, new.aggregate_identifier,
                                       new.sequence_number, new.type, new.time_stamp, new.payload_type,
                                       new.payload_revision, new.payload, new.meta_data));
    return new;
end
$$;

alter table domain_event_entry add column chain_hash bytea;

-- Backfill the events stored before this migration, aggregate by aggregate in sequence order. The append-only
-- trigger is disabled for this transaction's update only: the migration runs in one transaction, so it is enabled
-- again before anyone else sees the table (and stays enabled if the migration fails and rolls back).
alter table domain_event_entry disable trigger domain_event_entry_immutable;
do $$
declare
    r record;
    last_aggregate text;
    last_sequence bigint;
    last_hash bytea;
    previous bytea;
begin
    for r in select global_index, event_identifier, aggregate_identifier, sequence_number, type, time_stamp,
                    payload_type, payload_revision, payload, meta_data
             from ${schema}.domain_event_entry order by aggregate_identifier, sequence_number loop
        previous := case when r.aggregate_identifier = last_aggregate and r.sequence_number = last_sequence + 1
                         then last_hash end;
        last_hash := sha256(coalesce(previous, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)
            || ${schema}.event_chain_bytes(r.global_index, r.event_identifier, r.aggregate_identifier,
                                           r.sequence_number, r.type, r.time_stamp, r.payload_type,
                                           r.payload_revision, r.payload, r.meta_data));
        update ${schema}.domain_event_entry set chain_hash = last_hash where global_index = r.global_index;
        last_aggregate := r.aggregate_identifier;
        last_sequence := r.sequence_number;
    end loop;
end
$$;
alter table domain_event_entry enable trigger domain_event_entry_immutable;
alter table domain_event_entry alter column chain_hash set not null;

create trigger domain_event_entry_chain
    before insert on domain_event_entry
    for each row execute function event_chain_link();

-- Checkpoints: each seals the events committed since the previous one. Checkpoint n covers the positions
-- (range_start, upper_position] present when it was sealed, plus the late events it lists in
-- audit_checkpoint_late (committed below an earlier checkpoint's range after that one was sealed). digest =
-- sha256(previous checkpoint's digest (32 zero bytes for the first) || checkpoint_id || range_start ||
-- upper_position || event_count as 8-byte integers || for each member in position order: position as 8 bytes
-- and chain_hash). signature = HMAC-SHA256 with the key of CLINICAL_AUDIT_SIGNING_KEY (never stored here) over
-- the text form of the row (AuditCheckpoints.signedText); null when no key was configured.
create table audit_checkpoint (
    checkpoint_id  bigint      primary key,
    range_start    bigint      not null,
    upper_position bigint      not null,
    event_count    bigint      not null,
    late_count     bigint      not null,
    first_position bigint,
    last_position  bigint,
    digest         bytea       not null,
    signature      bytea,
    key_id         text,
    sealed_at      timestamptz not null,
    check (upper_position >= range_start)
);

-- Late events and the checkpoint that sealed them.
create table audit_checkpoint_late (
    position      bigint primary key,
    checkpoint_id bigint not null
);

-- Every position of a sealed range that held no event when it was sealed: a transaction still open then (its
-- event commits late and a later checkpoint seals it, listed in audit_checkpoint_late) or rolled back (a hole for
-- good). With them the verification knows every position a checkpoint sealed: an event missing from a sealed
-- position is found at that position, and so is an event appearing in a hole more than an hour after the seal
-- (AuditSealer.HOLE_RETENTION; within the hour it is taken for a late commit and sealed as one).
create table audit_checkpoint_hole (
    position      bigint      primary key,
    checkpoint_id bigint      not null,
    since         timestamptz not null
);
create index audit_checkpoint_hole_since on audit_checkpoint_hole (since);

create function refuse_checkpoint_change() returns trigger language plpgsql as $$
begin
    raise exception 'audit checkpoints are append-only: % on %.% refused', tg_op, tg_table_schema, tg_table_name
        using errcode = 'insufficient_privilege';
end
$$;

create trigger audit_checkpoint_immutable
    before update or delete on audit_checkpoint
    for each row execute function refuse_checkpoint_change();
create trigger audit_checkpoint_no_truncate
    before truncate on audit_checkpoint
    for each statement execute function refuse_checkpoint_change();
create trigger audit_checkpoint_late_immutable
    before update or delete on audit_checkpoint_late
    for each row execute function refuse_checkpoint_change();
create trigger audit_checkpoint_late_no_truncate
    before truncate on audit_checkpoint_late
    for each statement execute function refuse_checkpoint_change();

create trigger audit_checkpoint_hole_immutable
    before update or delete on audit_checkpoint_hole
    for each row execute function refuse_checkpoint_change();
create trigger audit_checkpoint_hole_no_truncate
    before truncate on audit_checkpoint_hole
    for each statement execute function refuse_checkpoint_change();

revoke update, delete, truncate on audit_checkpoint, audit_checkpoint_late, audit_checkpoint_hole from public;
