package dev.weft.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TestExecutorArgs {
    private static final String[] MINIMAL = {
        "--driver", "driver.example:4040", "--executor-id", "exec-1", "--cores", "4", "--memory-budget", "512m"
    };

    @Test
    void parsesRequiredArguments() {
        ExecutorArgs a = ExecutorArgs.parse(MINIMAL);
        assertEquals("driver.example", a.driverHost());
        assertEquals(4040, a.driverPort());
        assertEquals("exec-1", a.executorId());
        assertEquals(4, a.cores());
        assertEquals(512L << 20, a.memoryBudget());
        assertNull(a.appId());
        assertEquals(-1, a.shufflePort());
        assertEquals(Map.of(), a.conf());
        assertNull(a.blockProviderFactoryClass());
    }

    @Test
    void parsesOptionalArguments() {
        ExecutorArgs a = ExecutorArgs.parse(new String[] {
            "--driver",
            "h:1",
            "--executor-id",
            "e",
            "--cores",
            "1",
            "--memory-budget",
            "1048576",
            "--app-id",
            "application_1_0002",
            "--shuffle-port",
            "7337",
            "--conf",
            "weft.rpc.max-frame-bytes=8m",
            "--conf",
            "weft.rpc.ask-timeout=5s",
            "--shuffle-block-provider-factory",
            "com.example.Factory"
        });
        assertEquals(1 << 20, a.memoryBudget());
        assertEquals("application_1_0002", a.appId());
        assertEquals(7337, a.shufflePort());
        assertEquals(8 << 20, a.rpcConfig(false).maxFrameBytes());
        assertEquals(5, a.rpcConfig(false).askTimeout().toSeconds());
        assertEquals("com.example.Factory", a.blockProviderFactoryClass());
    }

    @Test
    void errorsNameTheArgument() {
        assertError("--driver", "--driver", "nohostport");
        assertError("--driver", "--driver", "h:99999");
        assertError("--driver", "--driver", "h:http");
        assertError("--cores", "--cores", "0");
        assertError("--cores", "--cores", "four");
        assertError("--memory-budget", "--memory-budget", "lots");
        assertError("--executor-id", "--executor-id", "../etc");
        assertError("--shuffle-port", "--shuffle-port", "-7");
        assertError("weft.rpc.max-frame-bytes", "--conf", "weft.rpc.max-frame-bytes=huge");
        assertError("--conf", "--conf", "novalue");
        assertError("--colors", "--colors", "3");
        assertMessage(
                "missing required argument --cores", "--driver", "h:1", "--executor-id", "e", "--memory-budget", "1m");
        assertMessage("--cores needs a value", "--driver", "h:1", "--cores");
        assertMessage("--cores given twice", "--cores", "1", "--cores", "2");
    }

    /** Replaces one argument of the minimal set (or adds it) and expects an error naming {@code expected}. */
    private static void assertError(String expected, String name, String value) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(MINIMAL));
        int i = args.indexOf(name);
        if (i >= 0) {
            args.set(i + 1, value);
        } else {
            args.add(name);
            args.add(value);
        }
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ExecutorArgs.parse(args.toArray(String[]::new)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static void assertMessage(String expected, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExecutorArgs.parse(args));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void badArgumentsEndTheProcessWithTheirExitCode() {
        assertEquals(ExitCode.BAD_ARGUMENTS, ExecutorMain.run(new String[] {"--cores"}, Map.of()));
        assertEquals(ExitCode.BAD_ARGUMENTS, ExecutorMain.run(MINIMAL, Map.of()), "WEFT_AUTH_SECRET missing");
    }
}
