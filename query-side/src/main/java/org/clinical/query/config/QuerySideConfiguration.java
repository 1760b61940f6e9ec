package org.clinical.query.config;

import org.clinical.infra.config.ClinicalProperties;
import org.clinical.infra.region.Regions;
import org.clinical.infra.security.TenantAccess;
import org.clinical.projections.readmodel.Generations;
import org.clinical.projections.readmodel.ProjectionPositions;
import org.clinical.query.web.ReadModels;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
public class QuerySideConfiguration {

    @Bean
    ReadModels readModels(TenantAccess access, Generations generations, ProjectionPositions positions, Regions regions,
                          ClinicalProperties properties) {
        return new ReadModels(access, generations, positions, regions, properties.query().minPositionWait());
    }
}
