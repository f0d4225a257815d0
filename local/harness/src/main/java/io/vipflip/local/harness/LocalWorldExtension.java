package io.vipflip.local.harness;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One demo world per test class, back to its starting state before every test:
 * {@code @RegisterExtension static final LocalWorldExtension WORLD = new LocalWorldExtension();}
 */
public final class LocalWorldExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    private LocalWorld world;

    @Override
    public void beforeAll(ExtensionContext context) {
        world = LocalWorld.start(LocalWorld.Settings.demo());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        world.reset();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        world.close();
    }

    public LocalWorld world() {
        return world;
    }
}
