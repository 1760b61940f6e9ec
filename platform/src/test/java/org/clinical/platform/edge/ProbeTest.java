package org.clinical.platform.edge;

import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.junit.jupiter.api.Test;

class ProbeTest extends PlatformTest {

    @Test
    void probe() throws Exception {
        String tenant = newTenant();
        String facility = newFacility(tenant, "GEN");
        String patient = newPatient(tenant, "MRN-1");
        String stay = newEncounter(tenant, patient, facility, "IMP");
        String obs = api.post("/api/v1/" + tenant + "/observations").token(CLINICIAN).json(heartRate(patient, stay, 70)).send().body().get("observationId").asText();
        p("transfer patient id", api.post("/api/v1/" + tenant + "/encounters/" + patient + "/transfer").token(CLINICIAN).json("{\"location\":\"x\",\"at\":\"2025-03-01T10:00:00Z\"}").send());
        p("deceased obs id", api.post("/api/v1/" + tenant + "/patients/" + obs + "/deceased").token(CLINICIAN).json("{\"deceasedAt\":\"2025-03-01T10:00:00Z\"}").send());
        p("amend enc id", api.post("/api/v1/" + tenant + "/observations/" + stay + "/amend").token(CLINICIAN).json("{\"value\":{\"boolean\":true},\"reason\":\"x\"}").send());
        p("merge facility id", api.post("/api/v1/" + tenant + "/patients/" + facility + "/merge").token(CLINICIAN).json("{\"survivorId\":\"" + patient + "\"}").send());
        p("cancel patient id", api.post("/api/v1/" + tenant + "/encounters/" + patient + "/cancel").token(CLINICIAN).json("{\"reason\":\"x\"}").send());
        p("demog enc id", api.put("/api/v1/" + tenant + "/patients/" + stay + "/demographics").token(CLINICIAN).json("{\"name\":{\"family\":\"F\"},\"birthDate\":\"1980-01-01\",\"gender\":\"male\"}").send());
        p("dup keys", api.post("/api/v1/" + tenant + "/patients").token(CLINICIAN).json("{\"mrn\":\"A\",\"mrn\":\"B\",\"name\":{\"family\":\"F\"},\"birthDate\":\"1980-01-01\",\"gender\":\"male\"}").send());
        p("null in array", api.post("/api/v1/" + tenant + "/patients").token(CLINICIAN).json("{\"mrn\":\"A\",\"name\":{\"family\":\"F\"},\"birthDate\":\"1980-01-01\",\"gender\":\"male\",\"identifiers\":[{\"system\":\"a\",\"value\":\"b\"},null]}").send());
        p("406", api.post("/api/v1/" + tenant + "/patients").token(CLINICIAN).header("Accept", "text/html").json("{}").send());
        p("bad url", api.get("/api/v1/" + tenant + "/patients/%zz").token(CLINICIAN).send());
        p("bad uuid", api.post("/api/v1/" + tenant + "/patients/nope/deceased").token(CLINICIAN).json("{\"deceasedAt\":\"2025-03-01T10:00:00Z\"}").send());
        p("error path", api.get("/error").token(CLINICIAN).send());
        p("error path no token", api.get("/error").send());
        p("deep", api.post("/api/v1/" + tenant + "/patients").token(CLINICIAN).json("[".repeat(5000)).send());
        p("1e10000", api.post("/api/v1/" + tenant + "/observations").token(CLINICIAN).json(heartRate(patient, stay, 70).replace("\"low\": 60", "\"low\": 1e10000")).send());
        p("beds 1e10000", api.post("/api/v1/" + tenant + "/facilities").token(ADMIN).json("{\"code\":\"X\",\"name\":\"x\",\"type\":\"clinic\",\"beds\":1e10000}").send());
        p("year0", api.post("/api/v1/" + tenant + "/observations").token(CLINICIAN).json(heartRate(patient, stay, 70).replace("2025-03-01T09:00:00Z", "0000-03-01T09:00:00Z")).send());
    }

    private static void p(String what, Api.Response r) {
        System.out.println("PROBE " + what + " -> " + r.status() + " " + r.contentType() + " " + r.raw().body().substring(0, Math.min(400, r.raw().body().length())));
    }
}
