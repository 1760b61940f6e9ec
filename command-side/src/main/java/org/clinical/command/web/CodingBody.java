package org.clinical.command.web;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.clinical.events.common.Coding;

public record CodingBody(@NotBlank @Size(max = 255) String system, @NotBlank @Size(max = 64) String code,
                         @Size(max = 500) String display) {

    public Coding toCoding() {
        return new Coding(system, code, display);
    }

    public static Coding toCoding(CodingBody body) {
        return body == null ? null : body.toCoding();
    }
}
