package io.aura.server;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;

/**
 * The store: a HikariCP pool over embedded H2 (file mode in the data directory, every commit
 * written before it is acknowledged) or PostgreSQL, with the schema migrated by Flyway at start-up.
 */
final class Database implements AutoCloseable {

    private final HikariDataSource ds;
    private final String kind;

    /** Whether H2 refused the database because another process holds its file lock (error 90020). */
    private static boolean inUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLException q && q.getErrorCode() == 90020) {
                return true;
            }
        }
        return false;
    }

    /**
     * Creates the data directory readable by its owner only (rwx------, where the file system has
     * POSIX permissions): the database in it holds enrolments, interventions and the audit log. An
     * existing directory keeps its permissions.
     */
    static void privateDirectory(Path dir) throws java.io.IOException {
        boolean posix = dir.toAbsolutePath().getRoot() != null
                && java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        if (Files.isDirectory(dir)) { // the operator's (a mounted volume, say): its permissions are theirs
            return;
        }
        if (dir.toAbsolutePath().getParent() != null) {
            Files.createDirectories(dir.toAbsolutePath().getParent());
        }
        if (posix) {
            Files.createDirectory(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectory(dir);
        }
    }

    Database(ServerConfig config) {
        HikariConfig hc = new HikariConfig();
        String url = config.dbUrl();
        if (url == null) {
            try {
                privateDirectory(config.dataDir());
            } catch (java.io.IOException e) {
                String why = Files.exists(config.dataDir()) || e instanceof java.nio.file.FileAlreadyExistsException
                        ? "a file is in its place (or on its path); --data-dir names a directory"
                        : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                        : e instanceof java.nio.file.NoSuchFileException ? "the file system refused to create it there (no such file or directory)"
                        : e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                        : String.valueOf(e.getMessage());
                throw new IllegalArgumentException("cannot create the data directory " + config.dataDir() + ": " + why, e);
            }
            Path file = config.dataDir().toAbsolutePath().resolve("aura");
            // WRITE_DELAY=0: a commit reaches the file before the request is answered (kill -9 safe)
            url = "jdbc:h2:file:" + file + ";WRITE_DELAY=0";
            hc.setUsername("aura");
            hc.setPassword("");
        } else {
            if (config.dbUser() != null) {
                hc.setUsername(config.dbUser());
            }
            if (config.dbPassword() != null) {
                hc.setPassword(config.dbPassword());
            }
        }
        kind = url.startsWith("jdbc:postgresql:") ? "postgresql" : "h2";
        hc.setJdbcUrl(url);
        hc.setPoolName("aura-db");
        hc.setMaximumPoolSize(Math.max(4, Math.min(16, Runtime.getRuntime().availableProcessors() * 2)));
        hc.setConnectionTimeout(5_000);
        hc.setValidationTimeout(2_000);
        hc.setInitializationFailTimeout(10_000);
        String schema = config.dbSchema();
        if (schema != null) {
            // the schema exists once Flyway has run; connections made before that fall back to the default
            hc.setConnectionInitSql(kind.equals("postgresql")
                    ? "SET search_path TO " + schema : "SET SCHEMA " + schema.toUpperCase(java.util.Locale.ROOT));
        }
        if (schema != null) {
            createSchema(hc, schema);
        }
        try {
            ds = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            if (kind.equals("h2") && config.dbUrl() == null && inUse(e)) { // H2's file lock: one process per database
                throw new IllegalArgumentException("the data directory " + config.dataDir() + " is in use by another process"
                        + " (an AURA server already running on it?): stop that one, or give this one another --data-dir", e);
            }
            throw e;
        }
        try {
            var fw = Flyway.configure().dataSource(ds).locations("classpath:db/migration");
            if (schema != null) {
                fw = fw.schemas(kind.equals("postgresql") ? schema : schema.toUpperCase(java.util.Locale.ROOT));
            }
            fw.load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
    }

    /** Creates the schema before the pool's init SQL needs it. */
    private static void createSchema(HikariConfig hc, String schema) {
        try (Connection c = java.sql.DriverManager.getConnection(hc.getJdbcUrl(), hc.getUsername(), hc.getPassword());
             var st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create schema " + schema + ": " + e.getMessage(), e);
        }
    }

    /** "h2" or "postgresql". */
    String kind() {
        return kind;
    }

    Connection connection() throws SQLException {
        return ds.getConnection();
    }

    /** Round trip to the database; throws when it is unreachable. */
    void ping() throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT 1");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
        }
    }

    /** Runs an update with parameters; returns the update count. */
    int update(String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** Runs a query and maps each row. */
    <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** One parameterised statement of {@link #updateAll}. */
    record Statement(String sql, Object[] args) {
    }

    /**
     * Runs the statements in one transaction (one commit), as JDBC batches per distinct SQL text;
     * either all are stored or none.
     */
    void updateAll(List<Statement> statements) {
        try (Connection c = ds.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                java.util.Map<String, PreparedStatement> prepared = new java.util.LinkedHashMap<>();
                try {
                    for (Statement st : statements) {
                        PreparedStatement ps = prepared.get(st.sql());
                        if (ps == null) {
                            ps = c.prepareStatement(st.sql());
                            prepared.put(st.sql(), ps);
                        }
                        bind(ps, st.args());
                        ps.addBatch();
                    }
                    for (PreparedStatement ps : prepared.values()) {
                        ps.executeBatch();
                    }
                } finally {
                    for (PreparedStatement ps : prepared.values()) {
                        ps.close();
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** Appends an audit record. */
    void audit(long atMs, String actor, String action, String target, String detail) {
        update("INSERT INTO audit (at_ms, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)",
                atMs, actor, action, target, detail);
    }

    private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) {
                ps.setNull(i + 1, java.sql.Types.VARCHAR); // only text columns take nulls
            } else if (a instanceof String s) {
                ps.setString(i + 1, s);
            } else if (a instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (a instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else if (a instanceof Double d) {
                ps.setDouble(i + 1, d);
            } else {
                throw new IllegalArgumentException("unsupported parameter type " + a.getClass());
            }
        }
    }

    @Override
    public void close() {
        ds.close();
    }

    /** Maps one row. */
    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** A database failure (answered with 503: the store, not the request, is at fault). */
    static final class StoreException extends RuntimeException {
        StoreException(SQLException cause) {
            super("database error: " + cause.getMessage(), cause);
        }
    }
}
