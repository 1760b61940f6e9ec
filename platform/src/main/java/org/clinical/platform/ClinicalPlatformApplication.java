package org.clinical.platform;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The whole platform in one process: command side, projections, query side, on per-tenant event stores. */
@SpringBootApplication(scanBasePackages = "org.clinical")
public class ClinicalPlatformApplication {

    public static void main(String[] args) {
        // The AxonIQ update checker writes to the home folder and calls the network: never in a hospital.
        System.setProperty("axoniq.update-checker.disabled", "true");
        SpringApplication.run(ClinicalPlatformApplication.class, args);
    }
}
