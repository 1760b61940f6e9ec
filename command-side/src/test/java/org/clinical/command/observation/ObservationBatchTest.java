package org.clinical.command.observation;

import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.Message;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.clinical.command.encounter.EncounterStatus;
import org.clinical.command.patient.PatientStatus;
import org.clinical.events.common.ErrorCode;
import org.clinical.events.common.RuleViolation;
import org.clinical.events.observation.ObservationEvent.ObservationRecorded;
import org.clinical.events.observation.ObservationId;
import org.clinical.events.observation.RecordObservation;
import org.clinical.events.observation.RecordObservations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.clinical.command.Refusals.refusedWith;
import static org.clinical.command.observation.ObservationTest.GENERAL;
import static org.clinical.command.observation.ObservationTest.GLUCOSE;
import static org.clinical.command.observation.ObservationTest.OTHER_PATIENT;
import static org.clinical.command.observation.ObservationTest.PATIENT;
import static org.clinical.command.observation.ObservationTest.STAY;
import static org.clinical.command.observation.ObservationTest.glucose;

/**
 * The batch handler, through the aggregate fixture where one observation's events suffice (the fixture
 * holds a single aggregate's stream), and through Axon wired as in production, over an in-memory event
 * store, where a batch appends the streams of many observations.
 */
class ObservationBatchTest {

    private final InMemoryObservationSubjects subjects = new InMemoryObservationSubjects()
            .patient(PATIENT, PatientStatus.ACTIVE)
            .encounter(STAY, PATIENT, GENERAL, EncounterStatus.IN_PROGRESS);
    private final InMemoryEventStorageEngine storage = new InMemoryEventStorageEngine();
    private AggregateTestFixture<Observation> fixture;
    private Configuration axon;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Observation.class);
        fixture.registerAnnotatedCommandHandler(new ObservationBatch(fixture.getEventBus(), subjects));

        AggregateConfigurer<Observation> observations = AggregateConfigurer.defaultConfiguration(Observation.class);
        axon = DefaultConfigurer.defaultConfiguration()
                .configureEmbeddedEventStore(c -> storage)
                .registerComponent(ObservationSubjects.class, c -> subjects)
                .configureAggregate(observations)
                .registerCommandHandler(c -> new ObservationBatch(c.eventBus(), subjects))
                .start();
    }

    @AfterEach
    void tearDown() {
        axon.shutdown();
    }

    private static ObservationId observation(int n) {
        return new ObservationId(new UUID(0xc0ffeeL, n));
    }

    private static List<RecordObservation> batchOf(int size) {
        return IntStream.range(0, size).mapToObj(i -> glucose(observation(i), PATIENT, STAY)).toList();
    }

    private static ObservationRecorded recorded(RecordObservation o) {
        return new ObservationRecorded(o.observationId(), o.patientId(), o.encounterId(),
                o.encounterId() == null ? null : GENERAL, o.code(), o.category(), o.effectiveAt(), o.value(),
                o.referenceRange());
    }

    private List<ObservationId> send(List<RecordObservation> batch) {
        return axon.commandGateway().sendAndWait(new RecordObservations(batch));
    }

    private List<Object> stored() {
        return storage.readEvents(null, false).map(Message::getPayload).map(Object.class::cast).toList();
    }

    // recorded

    @Test
    void a_batch_of_one_records_it_like_a_single_observation() {
        fixture.givenNoPriorActivity()
                .when(new RecordObservations(List.of(glucose(GLUCOSE, PATIENT, STAY))))
                .expectSuccessfulHandlerExecution()
                .expectEvents(recorded(glucose(GLUCOSE, PATIENT, STAY)))
                .expectResultMessagePayload(List.of(GLUCOSE));
    }

    @Test
    void a_batch_records_all_its_observations_in_request_order() {
        List<RecordObservation> batch = List.of(glucose(observation(0), PATIENT, STAY),
                glucose(observation(1), PATIENT, null), glucose(observation(2), PATIENT, STAY));

        List<ObservationId> ids = send(batch);

        assertThat(ids).containsExactly(observation(0), observation(1), observation(2));
        assertThat(stored()).containsExactly(recorded(batch.get(0)), recorded(batch.get(1)), recorded(batch.get(2)));
    }

    @Test
    void a_batch_looks_up_the_subjects_of_all_its_observations_at_once() {
        send(batchOf(50));

        assertThat(subjects.lookups()).isEqualTo(1);
    }

    @Test
    void a_batch_of_a_thousand_observations_is_recorded() {
        List<ObservationId> ids = send(batchOf(ObservationBatch.MAX_SIZE));

        assertThat(ids).hasSize(1000);
        assertThat(stored()).hasSize(1000).allMatch(ObservationRecorded.class::isInstance);
    }

    // refused as a whole

    @Test
    void a_batch_with_one_observation_about_an_unknown_patient_is_refused_entirely() {
        fixture.givenNoPriorActivity()
                .when(new RecordObservations(List.of(glucose(observation(0), PATIENT, STAY),
                        glucose(observation(1), OTHER_PATIENT, null), glucose(observation(2), PATIENT, STAY))))
                .expectException(refusedWith(ErrorCode.PATIENT_NOT_FOUND,
                        "observations[1]: Patient " + OTHER_PATIENT + " does not exist"))
                .expectNoEvents();
    }

    @Test
    void a_refused_batch_stores_none_of_its_observations() {
        List<RecordObservation> batch = List.of(glucose(observation(0), PATIENT, STAY),
                glucose(observation(1), PATIENT, STAY), glucose(observation(2), OTHER_PATIENT, null));

        RuleViolation refused = catchThrowableOfType(RuleViolation.class, () -> send(batch));

        assertThat(refused.code()).isEqualTo(ErrorCode.PATIENT_NOT_FOUND);
        assertThat(refused.getMessage()).startsWith("observations[2]: ");
        assertThat(stored()).isEmpty();
    }

    @Test
    void a_batch_is_refused_by_the_rules_of_a_single_observation() {
        subjects.patient(OTHER_PATIENT, PatientStatus.ACTIVE);

        fixture.givenNoPriorActivity()
                .when(new RecordObservations(List.of(glucose(observation(0), PATIENT, STAY),
                        glucose(observation(1), OTHER_PATIENT, STAY))))
                .expectException(refusedWith(ErrorCode.ENCOUNTER_OF_ANOTHER_PATIENT,
                        "observations[1]: Encounter " + STAY + " is not an encounter of patient " + OTHER_PATIENT))
                .expectNoEvents();
    }

    @Test
    void an_empty_batch_is_refused() {
        fixture.givenNoPriorActivity()
                .when(new RecordObservations(List.of()))
                .expectException(refusedWith(ErrorCode.INVALID_BATCH, "A batch holds 1 to 1000 observations, not 0"))
                .expectNoEvents();
    }

    @Test
    void a_batch_of_more_than_a_thousand_observations_is_refused() {
        fixture.givenNoPriorActivity()
                .when(new RecordObservations(batchOf(ObservationBatch.MAX_SIZE + 1)))
                .expectException(refusedWith(ErrorCode.INVALID_BATCH, "not 1001"))
                .expectNoEvents();

        assertThat(subjects.lookups()).isZero();
    }

    @Test
    void a_batch_naming_an_observation_id_twice_is_refused() {
        fixture.givenNoPriorActivity()
                .when(new RecordObservations(List.of(glucose(observation(0), PATIENT, STAY),
                        glucose(observation(1), PATIENT, null), glucose(observation(0), PATIENT, null))))
                .expectException(refusedWith(ErrorCode.INVALID_BATCH, "names each observation id once"))
                .expectNoEvents();

        assertThat(subjects.lookups()).isZero();
    }
}
