package org.clinical.events.common;

/** A command on an existing record that may name the version it was decided on ({@code If-Match}). */
public interface VersionedCommand {

    /** The aggregate version (0-based sequence of its last event) the client saw, or null for any. */
    Long expectedVersion();
}
