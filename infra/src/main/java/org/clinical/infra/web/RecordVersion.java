package org.clinical.infra.web;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A record's version as clients see it: the number of events in its stream, so 1 once it is created. It is the
 * {@code ETag}, the {@code If-Match} of a command, and the {@code version} of an answer or a read. The event
 * store numbers a stream's events from 0 ({@code sequence}); this is the one place the two are converted.
 *
 * @param value 0 for a record with no events yet, which only a stale-version refusal can name
 */
public record RecordVersion(long value) {

    private static final Pattern IF_MATCH = Pattern.compile("(?:W/)?\"?([1-9][0-9]{0,17})\"?");

    public RecordVersion {
        if (value < 0) {
            throw new IllegalArgumentException("a version is not negative: " + value);
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static RecordVersion of(long value) {
        return new RecordVersion(value);
    }

    /** @param sequence the event store's sequence number of the record's last event, -1 for none */
    public static RecordVersion fromSequence(long sequence) {
        return new RecordVersion(sequence + 1);
    }

    /**
     * The version an {@code If-Match} names ({@code "3"}, {@code W/"3"} or {@code 3}), or null when it is absent or
     * {@code *}; anything else answers 400.
     */
    public static RecordVersion parseIfMatch(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return null;
        }
        Matcher m = IF_MATCH.matcher(ifMatch.trim());
        if (!m.matches()) {
            throw new BadRequestException("If-Match", "must be a version as returned in ETag, e.g. \"3\"");
        }
        return new RecordVersion(Long.parseLong(m.group(1)));
    }

    /** In JSON, a bare number: the idempotency store keeps answers with their version. */
    @JsonValue
    @Override
    public long value() {
        return value;
    }

    /** The event store's sequence number of the record's last event at this version. */
    public long sequence() {
        return value - 1;
    }

    /** The {@code ETag} header's value: the version, quoted. */
    public String etag() {
        return "\"" + value + "\"";
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
