package io.aura.server;

import java.util.Map;

/**
 * The end-to-end suite on PostgreSQL (AURA_TEST_POSTGRES_URL, user AURA_TEST_POSTGRES_USER or
 * postgres), in a fresh random schema per run. Skipped with a printed reason when the URL is unset,
 * except in CI (CI=true), where it fails.
 */
class PostgresServerTest extends ServerSuite {
    @Override
    Map<String, String> dbEnv() {
        return TestServer.dbEnv(TestServer.envOrSkip("AURA_TEST_POSTGRES_URL",
                "PostgresServerTest skipped: AURA_TEST_POSTGRES_URL is unset (e.g. jdbc:postgresql://127.0.0.1:5432/test)"));
    }

    @Override
    void dropDatabase(Map<String, String> env) {
        TestServer.dropSchema(env);
    }
}
