package dev.rendezvous.testing;

import dev.rendezvous.server.ServerConfig;
import java.util.ServiceLoader;

/**
 * Makes every {@link ServerExtension} of a test run start several nodes of one cluster instead of one
 * server, and spread its clients over them in turn. A module's tests provide one through
 * {@link ServiceLoader} ({@code META-INF/services/dev.rendezvous.testing.ClusterNodes}); without one,
 * a {@link ServerExtension} is a single server. This is how the protocol tests run across nodes.
 */
public interface ClusterNodes {

    /** How many nodes each test gets (clients go to node 0, 1, …, 0, 1, … in turn). */
    int nodes();

    /** Called before each test's nodes start: e.g. empties the backplane. */
    default void beforeEach() {}

    /** Makes node {@code index} join the cluster (e.g. sets its hub factory). */
    void configure(int index, ServerConfig.Builder builder);

    /** The provider on the classpath, or null. */
    static ClusterNodes fromClasspath() {
        return ServiceLoader.load(ClusterNodes.class).findFirst().orElse(null);
    }
}
