package org.clinical.query.audit;

/** A read's access-log entry could not be made durable in time: the read is not answered (503). */
public class AccessLogUnavailableException extends RuntimeException {

    public AccessLogUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
