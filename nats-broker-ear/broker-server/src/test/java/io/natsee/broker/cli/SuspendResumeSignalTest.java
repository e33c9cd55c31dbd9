package io.natsee.broker.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SuspendResumeSignalTest {

    private static final String HOTSPOT = "OpenJDK 64-Bit Server VM";

    @Test
    void hotSpotKeepsUsr2WithoutTheVariable() {
        assertTrue(SuspendResumeSignal.takesUsr2(HOTSPOT, Map.of()));
        assertTrue(SuspendResumeSignal.takesUsr2("Java HotSpot(TM) 64-Bit Server VM", Map.of()));
    }

    @Test
    void aValidOtherSignalFreesUsr2() {
        assertFalse(SuspendResumeSignal.takesUsr2(HOTSPOT, Map.of("_JAVA_SR_SIGNUM", "40")));
        assertFalse(SuspendResumeSignal.takesUsr2(HOTSPOT, Map.of("_JAVA_SR_SIGNUM", "64")));
    }

    @Test
    void numbersHotSpotRefusesLeaveItOnUsr2() {
        for (String value : new String[] {"12", "11", "5", "65", "0", "forty", ""}) {
            assertTrue(SuspendResumeSignal.takesUsr2(HOTSPOT, Map.of("_JAVA_SR_SIGNUM", value)), value);
        }
    }

    @Test
    void otherVirtualMachinesAreNotConcerned() {
        assertFalse(SuspendResumeSignal.takesUsr2("Eclipse OpenJ9 VM", Map.of()));
        assertFalse(SuspendResumeSignal.takesUsr2(null, Map.of()));
    }
}
