package io.aura.server;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;

/**
 * The end-to-end suite on PostgreSQL (AURA_TEST_POSTGRES_URL, user AURA_TEST_POSTGRES_USER or
 * postgres), in a fresh random schema per run. Skipped with a printed reason when the URL is unset,
 * except in CI (CI=true), where it fails.
 */
class PostgresServerTest extends ServerSuite {
    @Override
    Map<String, String> dbEnv() {
        String url = System.getenv("AURA_TEST_POSTGRES_URL");
        if (url == null || url.isBlank()) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("CI=true but AURA_TEST_POSTGRES_URL is unset: .ci/run must export it");
            }
            System.err.println("PostgresServerTest skipped: AURA_TEST_POSTGRES_URL is unset (e.g. jdbc:postgresql://127.0.0.1:5432/test)");
            assumeTrue(false, "AURA_TEST_POSTGRES_URL is unset");
        }
        return TestServer.dbEnv(url);
    }

    @Override
    void dropDatabase(Map<String, String> env) {
        try (var c = java.sql.DriverManager.getConnection(env.get("AURA_DB_URL"), env.get("AURA_DB_USER"), null);
             var st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + env.get("AURA_DB_SCHEMA") + " CASCADE");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot drop the test schema", e);
        }
    }
}
