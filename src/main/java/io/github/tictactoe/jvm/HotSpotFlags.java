package io.github.tictactoe.jvm;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.Optional;

/** Reads a JVM flag from the HotSpot diagnostic bean, which answers without the platform MBean server. */
public final class HotSpotFlags {

    private HotSpotFlags() {
    }

    /** The flag's value, or empty on a JVM without the bean or without that flag. */
    public static Optional<String> value(String flag) {
        HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        if (hotSpot == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(hotSpot.getVMOption(flag).getValue());
        } catch (IllegalArgumentException noSuchFlag) {
            return Optional.empty();
        }
    }
}
