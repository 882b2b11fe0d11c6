package dev.weft.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestExecutorLauncher {
    @Test
    void buildsTheExactContainerCommand() {
        List<String> cmd = ExecutorLauncher.command(new ExecutorLauncher.Spec(
                "{{JAVA_HOME}}",
                2048,
                "<LOG_DIR>",
                "driver.example",
                40123,
                "exec-3",
                4,
                536870912L,
                "application_1700000000000_0001",
                Map.of("weft.rpc.max-frame-bytes", "64m", "weft.executor.heartbeat-interval", "10000ms")));
        assertEquals(
                List.of(
                        "{{JAVA_HOME}}/bin/java",
                        "-Xmx2048m",
                        "-XX:+ExitOnOutOfMemoryError",
                        "--add-opens=java.base/java.lang=ALL-UNNAMED",
                        "--add-opens=java.base/java.util=ALL-UNNAMED",
                        "--add-opens=java.base/java.io=ALL-UNNAMED",
                        "--add-opens=java.base/java.nio=ALL-UNNAMED",
                        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                        "--add-opens=java.base/java.net=ALL-UNNAMED",
                        "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                        "-Dweft.log.dir=<LOG_DIR>",
                        "-Dlog4j2.configurationFile=weft-executor-log4j2.xml",
                        "dev.weft.executor.ExecutorMain",
                        "--driver",
                        "driver.example:40123",
                        "--executor-id",
                        "exec-3",
                        "--cores",
                        "4",
                        "--memory-budget",
                        "536870912",
                        "--app-id",
                        "application_1700000000000_0001",
                        "--conf",
                        "weft.executor.heartbeat-interval=10000ms",
                        "--conf",
                        "weft.rpc.max-frame-bytes=64m",
                        "1><LOG_DIR>/stdout",
                        "2><LOG_DIR>/stderr"),
                cmd);
    }

    @Test
    void withoutAppIdOrConf() {
        List<String> cmd = ExecutorLauncher.command(
                new ExecutorLauncher.Spec("/usr/lib/jvm/17", 512, "/logs", "h", 1, "e", 1, 1024, null, Map.of()));
        assertEquals(
                List.of("--memory-budget", "1024", "1>/logs/stdout", "2>/logs/stderr"),
                cmd.subList(cmd.size() - 4, cmd.size()));
        assertEquals("/usr/lib/jvm/17/bin/java", cmd.get(0));
    }

    @Test
    void theCommandParsesBackIntoTheSameArguments() {
        ExecutorLauncher.Spec spec = new ExecutorLauncher.Spec(
                "{{JAVA_HOME}}",
                1024,
                "<LOG_DIR>",
                "d",
                9,
                "exec-1",
                2,
                1L << 30,
                "app",
                Map.of("weft.rpc.ask-timeout", "5s"));
        List<String> cmd = ExecutorLauncher.command(spec);
        int main = cmd.indexOf(ExecutorMain.class.getName());
        ExecutorArgs args =
                ExecutorArgs.parse(cmd.subList(main + 1, cmd.size() - 2).toArray(String[]::new));
        assertEquals(
                new ExecutorArgs("d", 9, "exec-1", 2, 1L << 30, "app", -1, Map.of("weft.rpc.ask-timeout", "5s"), null),
                args);
    }

    @Test
    void refusesConfThatWouldNeedShellQuoting() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new ExecutorLauncher.Spec(
                        "j", 1, "l", "h", 1, "e", 1, 1, null, Map.of("weft.rpc.ask-timeout", "5s; rm -rf /")));
    }
}
