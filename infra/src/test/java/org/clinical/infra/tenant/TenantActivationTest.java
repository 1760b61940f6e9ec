package org.clinical.infra.tenant;

import org.axonframework.common.Registration;
import org.axonframework.extensions.multitenancy.components.MultiTenantAwareComponent;
import org.axonframework.extensions.multitenancy.components.TenantDescriptor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant another thread is still activating (read-model schemas and processors being set up) is visible to its
 * components but not ready for requests: a request that meets it waits for the activation instead of reading a
 * tenant half set up.
 */
class TenantActivationTest {

    private final Tenant tenant = new Tenant("north-general", "North General", "default", Instant.EPOCH);

    @Test
    void a_request_waits_for_a_tenant_another_thread_is_still_activating() throws Exception {
        ActiveTenants active = new ActiveTenants();
        SlowComponent component = new SlowComponent();
        TenantActivation activation = new TenantActivation(new NoMigrations(), active, List.of(component));

        Thread activating = new Thread(() -> activation.activate(tenant), "activating");
        activating.start();
        assertThat(component.entered.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(active.find(tenant.id())).as("seen by its components").contains(tenant);
        assertThat(active.findReady(tenant.id())).as("ready for requests").isEmpty();

        Thread request = new Thread(() -> activation.activate(tenant), "request");
        request.start();
        awaitState(request, Thread.State.BLOCKED);

        component.release.countDown();
        activating.join(10_000);
        request.join(10_000);
        assertThat(active.findReady(tenant.id())).contains(tenant);
        assertThat(component.registrations).hasValue(1);
    }

    @Test
    void a_failed_activation_leaves_the_tenant_neither_active_nor_ready() {
        ActiveTenants active = new ActiveTenants();
        MultiTenantAwareComponent failing = new MultiTenantAwareComponent() {
            @Override
            public Registration registerTenant(TenantDescriptor descriptor) {
                throw new IllegalStateException("database away");
            }

            @Override
            public Registration registerAndStartTenant(TenantDescriptor descriptor) {
                throw new IllegalStateException("database away");
            }
        };
        TenantActivation activation = new TenantActivation(new NoMigrations(), active, List.of(failing));

        CompletableFuture<Void> attempt = CompletableFuture.runAsync(() -> activation.activate(tenant));

        assertThat(attempt).failsWithin(Duration.ofSeconds(10));
        assertThat(active.find(tenant.id())).isEmpty();
        assertThat(active.findReady(tenant.id())).isEmpty();
    }

    private static void awaitState(Thread thread, Thread.State state) {
        Instant deadline = Instant.now().plusSeconds(10);
        while (thread.getState() != state) {
            assertThat(Instant.now()).as("%s %s", thread.getName(), state).isBefore(deadline);
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
    }

    /** A component whose set-up of a tenant takes until the test releases it. */
    private static final class SlowComponent implements MultiTenantAwareComponent {

        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger registrations = new AtomicInteger();

        @Override
        public Registration registerTenant(TenantDescriptor descriptor) {
            return registerAndStartTenant(descriptor);
        }

        @Override
        public Registration registerAndStartTenant(TenantDescriptor descriptor) {
            registrations.incrementAndGet();
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return () -> true;
        }
    }

    /** The tenant's schema is not the point here: no database. */
    private static final class NoMigrations extends TenantSchemas {

        NoMigrations() {
            super(null);
        }

        @Override
        public void migrateTenant(Tenant tenant) {
        }
    }
}
