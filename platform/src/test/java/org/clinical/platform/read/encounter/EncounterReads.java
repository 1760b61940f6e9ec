package org.clinical.platform.read.encounter;

import org.clinical.platform.read.AtPosition;
import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;

import static org.assertj.core.api.Assertions.assertThat;

/** Commands on encounters, answering the event position to read at. */
abstract class EncounterReads extends PlatformTest {

    protected Api.Response start(String tenant, String patient, String facility, String encounterClass,
                                 String location, String startedAt) {
        String place = location == null ? "" : "\"location\": \"" + location + "\",";
        Api.Response started = api.post("/api/v1/" + tenant + "/encounters").token(CLINICIAN).json("""
                {"patientId": "%s", "class": "%s", "facilityId": "%s", %s "startedAt": "%s",
                 "reason": {"system": "http://snomed.info/sct", "code": "29857009", "display": "Chest pain"}}"""
                .formatted(patient, encounterClass, facility, place, startedAt)).send();
        assertThat(started.status()).as(started.toString()).isEqualTo(201);
        return started;
    }

    protected long transfer(String tenant, String encounter, String location, String at) {
        return command(tenant, encounter, "transfer", "{\"location\": \"" + location + "\", \"at\": \"" + at + "\"}");
    }

    protected long discharge(String tenant, String encounter, String at) {
        return command(tenant, encounter, "discharge", "{\"at\": \"" + at + "\", \"disposition\": \"home\"}");
    }

    protected long cancel(String tenant, String encounter) {
        return command(tenant, encounter, "cancel", "{\"reason\": \"entered for the wrong patient\"}");
    }

    private long command(String tenant, String encounter, String action, String json) {
        Api.Response answer = api.post("/api/v1/" + tenant + "/encounters/" + encounter + "/" + action)
                .token(CLINICIAN).json(json).send();
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.position();
    }

    /** A read at the position (a 503 is asked again, see {@link AtPosition}); 200, 400 or 404. */
    protected Api.Response read(String path, String token, long position) {
        Api.Response answer = AtPosition.get(api, path, token, position);
        assertThat(answer.status()).as(answer.toString()).isIn(200, 400, 404);
        return answer;
    }

    protected static String id(Api.Response created) {
        return created.body().get("encounterId").asText();
    }
}
