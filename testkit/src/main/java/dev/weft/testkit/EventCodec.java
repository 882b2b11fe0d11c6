package dev.weft.testkit;

import dev.weft.error.WeftError;
import dev.weft.events.ExclusionScope;
import dev.weft.events.ExecutorState;
import dev.weft.events.JobState;
import dev.weft.events.StageState;
import dev.weft.events.TaskLocality;
import dev.weft.events.TaskState;
import dev.weft.events.WeftEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One {@link WeftEvent} per line of text, tab-separated, as {@link EventRecorder} writes them and {@link JobEvents}
 * reads them back: a type letter ({@code J}ob, {@code S}tage, {@code T}ask, {@code E}xecutor, executor {@code R}equest, job {@code P}lan) and the record's
 * components in declaration order. Tabs, newlines and backslashes in text are escaped with a backslash, and
 * {@code \N} is null. Task metrics are not recorded (they come back null).
 *
 * <p>Stateless and thread-safe.
 */
final class EventCodec {
    private static final String NULL = "\\N";

    private EventCodec() {}

    static String encode(WeftEvent event) {
        List<Object> f = new ArrayList<>();
        if (event instanceof WeftEvent.JobStateChanged j) {
            f.addAll(List.of("J", j.timeMillis(), j.jobId()));
            f.add(j.callSite());
            f.add(j.from());
            f.add(j.to());
            f.add(j.reason());
        } else if (event instanceof WeftEvent.StageStateChanged s) {
            f.addAll(List.of("S", s.timeMillis(), s.stageId(), s.attempt()));
            f.add(s.name());
            f.addAll(List.of(s.shuffleMap(), s.numTasks()));
            f.add(s.from());
            f.add(s.to());
            f.add(s.reason());
        } else if (event instanceof WeftEvent.TaskStateChanged t) {
            f.addAll(List.of("T", t.timeMillis(), t.taskId(), t.stageId(), t.stageAttempt(), t.partition()));
            f.add(t.attempt());
            f.add(t.executorId());
            f.add(t.from());
            f.add(t.to());
            f.add(t.reason());
            f.add(t.locality());
            f.add(t.error());
        } else if (event instanceof WeftEvent.ExecutorStateChanged x) {
            f.addAll(List.of("E", x.timeMillis()));
            f.add(x.executorId());
            f.add(x.host());
            f.add(x.from());
            f.add(x.to());
            f.add(x.error());
            f.add(x.reason());
        } else if (event instanceof WeftEvent.ExecutorRequested r) {
            f.addAll(List.of("R", r.timeMillis()));
            f.add(r.node());
            f.addAll(List.of(r.strict(), r.relaxedAfterWait()));
            f.add(r.reason());
        } else if (event instanceof WeftEvent.ExclusionChanged x) {
            f.addAll(List.of("X", x.timeMillis()));
            f.add(x.scope());
            f.add(x.target());
            f.addAll(List.of(x.excluded(), x.untilMillis()));
            f.add(x.reason());
        } else if (event instanceof WeftEvent.JobPlanned p) {
            f.addAll(List.of("P", p.timeMillis(), p.jobId()));
            for (WeftEvent.PlannedStage s : p.stages()) {
                f.addAll(List.of(s.stageId()));
                f.add(s.name());
                f.addAll(List.of(s.shuffleMap(), s.numTasks()));
                f.add(s.parentIds().stream().map(String::valueOf).collect(Collectors.joining(",")));
            }
        } else {
            throw new IllegalArgumentException(
                    "no encoding for " + event.getClass().getName());
        }
        StringBuilder sb = new StringBuilder();
        for (Object o : f) {
            if (sb.length() > 0) {
                sb.append('\t');
            }
            sb.append(o == null ? NULL : escape(o instanceof Enum<?> e ? e.name() : o.toString()));
        }
        return sb.toString();
    }

    /**
     * The event a line encodes.
     *
     * @throws IllegalArgumentException naming the line when it is not one {@link #encode} wrote
     */
    static WeftEvent decode(String line) {
        String[] f = line.split("\t", -1);
        try {
            return switch (f[0]) {
                case "J" -> {
                    check(f, 7);
                    yield new WeftEvent.JobStateChanged(
                            Long.parseLong(f[1]),
                            Integer.parseInt(f[2]),
                            text(f[3]),
                            value(JobState.class, f[4]),
                            value(JobState.class, f[5]),
                            text(f[6]),
                            null);
                }
                case "S" -> {
                    check(f, 10);
                    yield new WeftEvent.StageStateChanged(
                            Long.parseLong(f[1]),
                            Integer.parseInt(f[2]),
                            Integer.parseInt(f[3]),
                            text(f[4]),
                            Boolean.parseBoolean(f[5]),
                            Integer.parseInt(f[6]),
                            value(StageState.class, f[7]),
                            value(StageState.class, f[8]),
                            text(f[9]));
                }
                case "T" -> {
                    check(f, 13);
                    yield new WeftEvent.TaskStateChanged(
                            Long.parseLong(f[1]),
                            Long.parseLong(f[2]),
                            Integer.parseInt(f[3]),
                            Integer.parseInt(f[4]),
                            Integer.parseInt(f[5]),
                            Integer.parseInt(f[6]),
                            text(f[7]),
                            value(TaskState.class, f[8]),
                            value(TaskState.class, f[9]),
                            text(f[10]),
                            null,
                            value(TaskLocality.class, f[11]),
                            value(WeftError.class, f[12]));
                }
                case "E" -> {
                    check(f, 8);
                    yield new WeftEvent.ExecutorStateChanged(
                            Long.parseLong(f[1]),
                            text(f[2]),
                            text(f[3]),
                            value(ExecutorState.class, f[4]),
                            value(ExecutorState.class, f[5]),
                            value(WeftError.class, f[6]),
                            text(f[7]));
                }
                case "R" -> {
                    check(f, 6);
                    yield new WeftEvent.ExecutorRequested(
                            Long.parseLong(f[1]),
                            text(f[2]),
                            Boolean.parseBoolean(f[3]),
                            Boolean.parseBoolean(f[4]),
                            text(f[5]));
                }
                case "X" -> {
                    check(f, 7);
                    yield new WeftEvent.ExclusionChanged(
                            Long.parseLong(f[1]),
                            value(ExclusionScope.class, f[2]),
                            text(f[3]),
                            Boolean.parseBoolean(f[4]),
                            Long.parseLong(f[5]),
                            text(f[6]));
                }
                case "P" -> {
                    if (f.length < 3 || (f.length - 3) % 5 != 0) {
                        throw new IllegalArgumentException(f.length + " fields, expected 3 + 5 per stage");
                    }
                    List<WeftEvent.PlannedStage> stages = new ArrayList<>();
                    for (int i = 3; i < f.length; i += 5) {
                        List<Integer> parents = new ArrayList<>();
                        for (String id : f[i + 4].split(",", -1)) {
                            if (!id.isEmpty()) {
                                parents.add(Integer.parseInt(id));
                            }
                        }
                        stages.add(new WeftEvent.PlannedStage(
                                Integer.parseInt(f[i]),
                                text(f[i + 1]),
                                Boolean.parseBoolean(f[i + 2]),
                                Integer.parseInt(f[i + 3]),
                                parents));
                    }
                    yield new WeftEvent.JobPlanned(Long.parseLong(f[1]), Integer.parseInt(f[2]), stages);
                }
                default -> throw new IllegalArgumentException("unknown event type '" + f[0] + "'");
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an event line (" + e.getMessage() + "): " + line, e);
        }
    }

    private static void check(String[] fields, int expected) {
        if (fields.length != expected) {
            throw new IllegalArgumentException(fields.length + " fields, expected " + expected);
        }
    }

    private static <E extends Enum<E>> E value(Class<E> type, String field) {
        return field.equals(NULL) ? null : Enum.valueOf(type, field);
    }

    private static String text(String field) {
        return field.equals(NULL) ? null : unescape(field);
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (++i == s.length()) {
                throw new IllegalArgumentException("a lone backslash at the end of '" + s + "'");
            }
            char n = s.charAt(i);
            sb.append(
                    switch (n) {
                        case '\\' -> '\\';
                        case 't' -> '\t';
                        case 'n' -> '\n';
                        case 'r' -> '\r';
                        default -> throw new IllegalArgumentException("unknown escape \\" + n + " in '" + s + "'");
                    });
        }
        return sb.toString();
    }
}
