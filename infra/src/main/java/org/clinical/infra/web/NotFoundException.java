package org.clinical.infra.web;

public class NotFoundException extends RuntimeException {

    public NotFoundException(String detail) {
        super(detail, null, false, false);
    }
}
