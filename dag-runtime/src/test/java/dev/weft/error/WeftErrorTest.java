package dev.weft.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The codes are a wire contract: this table is their full, fixed mapping, written out independently. */
class WeftErrorTest {
    private record Expected(int id, ErrorCategory category, boolean retriable) {}

    private static final Map<String, Expected> CODES = new LinkedHashMap<>();

    static {
        CODES.put("USER_CODE_FAILED", new Expected(100, ErrorCategory.USER, true));
        CODES.put("NOT_SERIALIZABLE", new Expected(101, ErrorCategory.USER, false));
        CODES.put("RESULT_TOO_LARGE", new Expected(102, ErrorCategory.USER, false));
        CODES.put("TASK_TOO_LARGE", new Expected(103, ErrorCategory.USER, false));
        CODES.put("JOB_CANCELLED", new Expected(104, ErrorCategory.USER, false));
        CODES.put("PLANNING_FAILED", new Expected(105, ErrorCategory.USER, false));
        CODES.put("EXECUTOR_LOST", new Expected(200, ErrorCategory.INFRASTRUCTURE, true));
        CODES.put("TASK_KILLED", new Expected(201, ErrorCategory.INFRASTRUCTURE, true));
        CODES.put("EXECUTOR_PREEMPTED", new Expected(202, ErrorCategory.INFRASTRUCTURE, true));
        CODES.put("EXECUTORS_UNAVAILABLE", new Expected(203, ErrorCategory.INFRASTRUCTURE, false));
        CODES.put("OUT_OF_MEMORY", new Expected(300, ErrorCategory.RESOURCE, true));
        CODES.put("CONTAINER_KILLED_FOR_MEMORY", new Expected(301, ErrorCategory.RESOURCE, true));
        CODES.put("FETCH_FAILED", new Expected(400, ErrorCategory.DATA, true));
        CODES.put("SHUFFLE_BLOCK_CORRUPT", new Expected(401, ErrorCategory.DATA, true));
        CODES.put("SHUFFLE_SERVER_UNREACHABLE", new Expected(402, ErrorCategory.DATA, true));
        CODES.put("INTERNAL_ERROR", new Expected(500, ErrorCategory.INTERNAL, true));
    }

    @Test
    void everyCodeHasItsFixedIdCategoryAndRetriability() {
        Map<String, Expected> actual = new LinkedHashMap<>();
        for (WeftError e : WeftError.values()) {
            actual.put(e.name(), new Expected(e.id(), e.category(), e.isRetriable()));
        }
        assertEquals(CODES, actual);
    }

    @Test
    void idsRoundTripAndUnknownIdsAreEmpty() {
        for (WeftError e : WeftError.values()) {
            assertEquals(Optional.of(e), WeftError.fromId(e.id()));
            assertTrue(e.id() != 0, "0 means no error on the wire");
        }
        assertEquals(Optional.empty(), WeftError.fromId(0));
        assertEquals(Optional.empty(), WeftError.fromId(999));
    }

    @Test
    void theTagIsTheNameInBrackets() {
        assertEquals("[USER_CODE_FAILED]", WeftError.USER_CODE_FAILED.tag());
    }
}
