package org.clinical.projections.audit;

import org.clinical.infra.region.Regions;
import org.clinical.infra.tenant.ActiveTenants;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/** The tamper evidence of the event stores: the checkpoint signer and the sealer, started once the platform is up. */
@Configuration
@EnableConfigurationProperties(AuditProperties.class)
public class TamperEvidenceConfiguration {

    @Bean
    CheckpointSigner checkpointSigner(AuditProperties properties) {
        return CheckpointSigner.of(properties.signing().key());
    }

    @Bean(destroyMethod = "close")
    AuditSealer auditSealer(ActiveTenants tenants, Regions regions, CheckpointSigner signer,
                            AuditProperties properties) {
        return new AuditSealer(tenants, regions, signer, properties.sealInterval());
    }

    @EventListener(ApplicationReadyEvent.class)
    void startSealing(ApplicationReadyEvent ready) {
        ready.getApplicationContext().getBean(AuditSealer.class).start();
    }
}
