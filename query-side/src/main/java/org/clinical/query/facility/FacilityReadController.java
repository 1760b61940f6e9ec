package org.clinical.query.facility;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.clinical.infra.web.Cursor;
import org.clinical.infra.web.Page;
import org.clinical.projections.facility.FacilityProjection;
import org.clinical.projections.facility.FacilityQueries;
import org.clinical.projections.facility.FacilityQueries.Facility;
import org.clinical.projections.readmodel.Read;
import org.clinical.query.web.ReadModels;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.UUID;

/** The tenant's facilities, from the "facilities" read model; registering one is a command ({@code POST}). */
@RestController
@Tag(name = "Tenants and facilities (admin)")
public class FacilityReadController {

    private final ReadModels readModels;

    public FacilityReadController(ReadModels readModels) {
        this.readModels = readModels;
    }

    public record FacilityView(UUID facilityId, String code, String name, String type, Integer beds,
                               Instant registeredAt) {

        static FacilityView of(Facility f) {
            return new FacilityView(f.facilityId(), f.code(), f.name(), f.type(), f.beds(), f.registeredAt());
        }
    }

    @GetMapping("/api/v1/{tenant}/facilities")
    @Operation(summary = "The tenant's facilities, ordered by code, cursor-paginated",
            description = "Roles admin, clinician (to pick a facility when admitting) and analyst (who groups"
                    + " statistics by facility); any other token answers 403. Registering one needs admin.")
    public Page<FacilityView> list(@PathVariable("tenant") String tenant,
                                   @RequestParam(name = "limit", required = false) Integer limit,
                                   @RequestParam(name = "cursor", required = false) String cursor,
                                   HttpServletRequest request) {
        Read read = readModels.read(tenant, request.getHeader(ReadModels.MIN_POSITION), FacilityProjection.NAME);
        int size = Page.limit(limit);
        String after = Cursor.read(cursor, 1, Cursor.Parts::text);
        return Page.of(FacilityQueries.byCode(read, after, size + 1).stream().map(FacilityView::of).toList(), size,
                facility -> Cursor.after(facility.code()));
    }
}
