package org.clinical.command.web;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.clinical.events.common.Coding;

public record CodingBody(@NotBlank @Line @Size(max = Limits.URI) String system,
                         @NotBlank @Line @Size(max = Limits.CODE) String code,
                         @Text @Size(max = Limits.REASON) String display) {

    public Coding toCoding() {
        return new Coding(system, code, display);
    }

    public static Coding toCoding(CodingBody body) {
        return body == null ? null : body.toCoding();
    }
}
