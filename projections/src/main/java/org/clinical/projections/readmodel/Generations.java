package org.clinical.projections.readmodel;

import org.axonframework.common.Registration;
import org.axonframework.extensions.multitenancy.components.MultiTenantAwareComponent;
import org.axonframework.extensions.multitenancy.components.TenantDescriptor;
import org.clinical.infra.region.Regions;
import org.clinical.infra.tenant.Tenant;
import org.clinical.infra.tenant.ActiveTenants;
import org.springframework.core.Ordered;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Which generation of each read model a tenant's reads use. Every generation is a schema of its own, made
 * from the projection's DDL; a rebuild fills a new generation while reads keep using the live one, and
 * {@link #switchTo} makes the new one live in one transaction, together with the analysts' views. Before a
 * tenant's processors start, its first generations exist.
 */
public class Generations implements MultiTenantAwareComponent, Ordered {

    private final List<ReadModel> readModels;
    private final ActiveTenants tenants;
    private final Regions regions;
    private final Map<String, Map<String, Integer>> live = new ConcurrentHashMap<>();

    public Generations(List<ReadModel> readModels, ActiveTenants tenants, Regions regions) {
        this.readModels = List.copyOf(readModels);
        this.tenants = tenants;
        this.regions = regions;
    }

    public List<ReadModel> readModels() {
        return readModels;
    }

    public Optional<ReadModel> readModel(String name) {
        return readModels.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** The schema the tenant's reads of this projection use now. */
    public String liveSchema(Tenant tenant, String projection) {
        Integer generation = live.getOrDefault(tenant.id(), Map.of()).get(projection);
        if (generation == null) {
            throw new IllegalStateException("projection " + projection + " of tenant " + tenant.id() + " not ready");
        }
        return ReadModelSchemas.generation(tenant, projection, generation);
    }

    public int liveGeneration(Tenant tenant, String projection) {
        return live.get(tenant.id()).get(projection);
    }

    /**
     * A projection's generations: the one reads use, and the one a rebuild fills (null when none runs).
     *
     * @param buildingSince when the rebuild started, null when none runs
     */
    public record Row(String name, int live, Integer building, Instant buildingSince) {
    }

    /** The rows of {@code projection_generation}, by name. */
    public List<Row> rows(Tenant tenant) {
        return jdbc(tenant).query("select name, live, building, building_since from " + tenant.schema()
                        + ".projection_generation order by name",
                (rs, i) -> new Row(rs.getString(1), rs.getInt(2), rs.getObject(3, Integer.class),
                        Rows.instant(rs, 4)));
    }

    /**
     * Creates the next generation's empty schema and records it as being built; answers its number, or empty
     * when one is being built already.
     */
    public Optional<Integer> startBuilding(Tenant tenant, ReadModel model) {
        return transaction(tenant).execute(tx -> {
            Integer next = jdbc(tenant).query("select live, building from " + tenant.schema()
                            + ".projection_generation where name = ? for update",
                    rs -> rs.next() && rs.getObject("building") == null ? rs.getInt("live") + 1 : null,
                    model.name());
            if (next == null) {
                return Optional.<Integer>empty();
            }
            createSchema(tenant, model, next);
            jdbc(tenant).update("update " + tenant.schema() + ".projection_generation"
                    + " set building = ?, building_since = now() where name = ?", next, model.name());
            return Optional.of(next);
        });
    }

    /**
     * Makes {@code generation} live: the generation row and the analysts' views change in one transaction,
     * together with whatever {@code alsoInTransaction} writes (the processor's token). Answers the schema of the
     * generation that stopped being live.
     */
    public String switchTo(Tenant tenant, ReadModel model, int generation, Runnable alsoInTransaction) {
        String old = liveSchema(tenant, model.name());
        transaction(tenant).executeWithoutResult(tx -> {
            alsoInTransaction.run();
            jdbc(tenant).update("update " + tenant.schema() + ".projection_generation"
                    + " set live = ?, building = null, building_since = null, switched_at = now() where name = ?",
                    generation, model.name());
            createViews(tenant, model, ReadModelSchemas.generation(tenant, model.name(), generation));
        });
        live.get(tenant.id()).put(model.name(), generation);
        return old;
    }

    /** Gives up a generation being built: its schema goes, the live one stays. */
    public void abandon(Tenant tenant, ReadModel model, int generation) {
        jdbc(tenant).update("update " + tenant.schema() + ".projection_generation"
                + " set building = null, building_since = null where name = ? and building = ?", model.name(), generation);
        drop(tenant, ReadModelSchemas.generation(tenant, model.name(), generation));
    }

    /**
     * Statistics for the planner before the first read of a rebuilt generation: called once the replay has
     * caught up, while the live processor still runs (the few events after it change no plan). A partitioned
     * table is analyzed through its parent only: PostgreSQL's {@code ANALYZE} of a partitioned table also
     * analyzes every partition, so naming the partitions too did their work twice (4.5 of the 9 s that a
     * 300,000-observation rebuild spent here).
     */
    public void analyze(Tenant tenant, ReadModel model, int generation) {
        String schema = ReadModelSchemas.generation(tenant, model.name(), generation);
        jdbc(tenant).queryForList("""
                        select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                        where n.nspname = ? and c.relkind in ('r', 'p') and not c.relispartition""",
                        String.class, schema)
                .forEach(table -> jdbc(tenant).execute("analyze " + schema + "." + table));
    }

    public void drop(Tenant tenant, String schema) {
        jdbc(tenant).execute("drop schema if exists " + schema + " cascade");
    }

    @Override
    public Registration registerAndStartTenant(TenantDescriptor descriptor) {
        Tenant tenant = tenants.require(descriptor.tenantId());
        Map<String, Integer> generations = new ConcurrentHashMap<>();
        transaction(tenant).executeWithoutResult(tx -> {
            AnalystRole.ensure(jdbc(tenant), tenant);
            Map<String, Row> rows = rows(tenant).stream().collect(Collectors.toMap(Row::name, row -> row));
            for (ReadModel model : readModels) {
                Row row = rows.get(model.name());
                int generation;
                if (row == null) {
                    generation = 1;
                    createSchema(tenant, model, generation);
                    jdbc(tenant).update("insert into " + tenant.schema() + ".projection_generation (name, live)"
                            + " values (?, ?)", model.name(), generation);
                    createViews(tenant, model, ReadModelSchemas.generation(tenant, model.name(), generation));
                } else {
                    generation = row.live();
                    upgrade(tenant, model, generation);
                    if (row.building() != null) {
                        upgrade(tenant, model, row.building());
                    }
                }
                generations.put(model.name(), generation);
            }
        });
        live.put(tenant.id(), generations);
        return () -> live.remove(tenant.id()) != null;
    }

    @Override
    public Registration registerTenant(TenantDescriptor tenant) {
        return registerAndStartTenant(tenant);
    }

    /** After the tenant's schema and event store, before its processors. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 100;
    }

    private void createSchema(Tenant tenant, ReadModel model, int generation) {
        String schema = ReadModelSchemas.generation(tenant, model.name(), generation);
        JdbcTemplate jdbc = jdbc(tenant);
        jdbc.execute("drop schema if exists " + schema + " cascade");
        jdbc.execute("create schema " + schema);
        runIn(jdbc, schema, model.ddl());
    }

    /** Runs a resource's statements with their unqualified names in {@code schema}. */
    private static void runIn(JdbcTemplate jdbc, String schema, String resource) {
        jdbc.execute("set local search_path to " + schema + ", public");
        jdbc.execute(resource(resource));
        jdbc.execute("set local search_path to default");
    }

    /**
     * Brings a generation made from an older DDL up to what the code writes and reads ({@link ReadModel#upgrade}):
     * the statements are idempotent and take no lock when there is nothing to change, so every start of every
     * instance runs them.
     */
    private void upgrade(Tenant tenant, ReadModel model, int generation) {
        String schema = ReadModelSchemas.generation(tenant, model.name(), generation);
        JdbcTemplate jdbc = jdbc(tenant);
        if (model.upgrade() == null || !Boolean.TRUE.equals(jdbc.queryForObject(
                "select exists (select 1 from pg_namespace where nspname = ?)", Boolean.class, schema))) {
            return;
        }
        runIn(jdbc, schema, model.upgrade());
    }

    private void createViews(Tenant tenant, ReadModel model, String readModelSchema) {
        if (model.views() == null) {
            return;
        }
        JdbcTemplate jdbc = jdbc(tenant);
        String analytics = ReadModelSchemas.analytics(tenant);
        jdbc.execute(resource(model.views()).replace("{rm}", readModelSchema).replace("{a}", analytics));
        jdbc.execute("grant select on all tables in schema " + analytics
                + " to " + ReadModelSchemas.analystRole(tenant));
    }

    private JdbcTemplate jdbc(Tenant tenant) {
        return regions.region(tenant.region()).jdbc();
    }

    private TransactionTemplate transaction(Tenant tenant) {
        return new TransactionTemplate(regions.region(tenant.region()).transactionManager());
    }

    static String resource(String path) {
        try {
            return new ClassPathResource(path).getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
