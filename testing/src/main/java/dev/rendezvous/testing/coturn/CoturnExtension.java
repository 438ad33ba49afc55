package dev.rendezvous.testing.coturn;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.TestAbortedException;

/**
 * Injects a {@link Coturn} into test methods, constructors or {@code @BeforeAll} methods: one coturn per
 * test class, started on first use and stopped when the class is done. Tests are skipped (aborted, not
 * failed) when coturn is not installed.
 *
 * <pre>{@code
 * @ExtendWith(CoturnExtension.class)
 * class RelayTest {
 *     @Test
 *     void relays(Coturn turn) { ... turn.iceConfig() ... }
 * }
 * }</pre>
 */
public final class CoturnExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(CoturnExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Coturn.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
            throws ParameterResolutionException {
        if (!Coturn.isInstalled()) {
            throw new TestAbortedException("coturn (turnserver) is not installed: apt-get install coturn");
        }
        ExtensionContext classContext =
                context.getTestClass().isPresent() && context.getTestMethod().isPresent()
                        ? context.getParent().orElse(context)
                        : context;
        return classContext
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent("coturn", key -> new Running(Coturn.start()), Running.class)
                .coturn();
    }

    /** Closed by JUnit when the class's store is closed. */
    private record Running(Coturn coturn) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            coturn.close();
        }
    }
}
