package io.udpix.cli.hostile;

import io.udpix.engine.EndpointConfig;
import java.lang.reflect.Method;

/**
 * Engine settings that the hostile tests shorten (a stall timeout of a second instead of 30 s), set by name so
 * the suite compiles against an engine that does not have them yet; such a test then fails with a message naming
 * the missing setting rather than passing vacuously.
 */
final class EngineKnobs {

    private EngineKnobs() {
    }

    /** Calls {@code builder.NAME(value)}. */
    static void set(EndpointConfig.Builder builder, String name, long value) {
        for (Method m : EndpointConfig.Builder.class.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == 1) {
                try {
                    Class<?> type = m.getParameterTypes()[0];
                    m.invoke(builder, type == int.class ? (Object) (int) value : (Object) value);
                    return;
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("EndpointConfig.Builder." + name + "(" + value + ") failed", e);
                }
            }
        }
        throw new AssertionError("the engine has no EndpointConfig.Builder." + name + "(...): this test needs it");
    }
}
