package dev.weft.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.events.JobState;
import dev.weft.events.WeftEvent;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StartupTimelineTest {
    @Test
    void eachPhaseIsRecordedOnceAndShownRelativeToTheFirst() {
        AtomicLong now = new AtomicLong(10_000);
        StartupTimeline t = new StartupTimeline(now::get);
        t.markAt(StartupTimeline.Phase.SUBMITTED, 8_000);
        t.mark(StartupTimeline.Phase.MAIN_STARTED);
        now.set(11_250);
        t.mark(StartupTimeline.Phase.FIRST_TASK_LAUNCHED);
        now.set(20_000);
        t.mark(StartupTimeline.Phase.FIRST_TASK_LAUNCHED); // later tasks do not move it
        t.onEvent(new WeftEvent.JobStateChanged(0, 0, "count at X.java:1", null, JobState.RUNNING, "submitted", null));
        assertEquals(null, t.at(StartupTimeline.Phase.FIRST_JOB_DONE), "a job starting is no job done");
        now.set(12_000);
        t.onEvent(new WeftEvent.JobStateChanged(
                0, 0, "count at X.java:1", JobState.RUNNING, JobState.SUCCEEDED, "", null));
        assertEquals(
                "submitted +0.0 s, main started +2.0 s, first task launched +3.3 s, first job done +4.0 s",
                t.summary());
    }
}
