package org.clinical.events.patient;

/** A contact point: {@code system} is phone, email..., {@code use} is home, work, mobile... */
public record Telecom(String system, String value, String use) {
}
