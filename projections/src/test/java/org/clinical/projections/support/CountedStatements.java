package org.clinical.projections.support;

import org.clinical.projections.readmodel.Read;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A read whose JDBC counts the statements it sends, on the same pool: to show that a query answers from one
 * statement, so from one snapshot of the read model.
 */
public final class CountedStatements {

    private static final Set<String> STATEMENTS = Set.of("createStatement", "prepareStatement", "prepareCall");

    private final AtomicInteger sent = new AtomicInteger();
    private final Read read;

    public CountedStatements(Read read) {
        JdbcTemplate counted = new JdbcTemplate(new DelegatingDataSource(read.jdbc().getDataSource()) {
            @Override
            public Connection getConnection() throws SQLException {
                return counting(super.getConnection());
            }
        });
        counted.setQueryTimeout(read.jdbc().getQueryTimeout());
        this.read = new Read(read.tenant(), counted, read.schemas());
    }

    public Read read() {
        return read;
    }

    public int sent() {
        return sent.get();
    }

    private Connection counting(Connection connection) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, args) -> {
                    if (STATEMENTS.contains(method.getName())) {
                        sent.incrementAndGet();
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
