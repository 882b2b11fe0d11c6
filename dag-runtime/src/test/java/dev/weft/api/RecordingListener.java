package dev.weft.api;

import dev.weft.events.StageState;
import dev.weft.events.TaskState;
import dev.weft.events.WeftEvent;
import dev.weft.events.WeftListener;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Test listener: remembers every scheduler event. */
final class RecordingListener implements WeftListener {
    private final List<WeftEvent> events = new ArrayList<>();

    @Override
    public synchronized void onEvent(WeftEvent event) {
        events.add(event);
    }

    synchronized void clear() {
        events.clear();
    }

    synchronized List<WeftEvent.TaskStateChanged> tasks(Predicate<WeftEvent.TaskStateChanged> p) {
        List<WeftEvent.TaskStateChanged> out = new ArrayList<>();
        for (WeftEvent e : events) {
            if (e instanceof WeftEvent.TaskStateChanged t && p.test(t)) {
                out.add(t);
            }
        }
        return out;
    }

    /** Launches (transitions to RUNNING) of tasks in the given stage. */
    List<WeftEvent.TaskStateChanged> launches(int stageId) {
        return tasks(t -> t.to() == TaskState.RUNNING && t.stageId() == stageId);
    }

    synchronized List<WeftEvent.StageStateChanged> stages(Predicate<WeftEvent.StageStateChanged> p) {
        List<WeftEvent.StageStateChanged> out = new ArrayList<>();
        for (WeftEvent e : events) {
            if (e instanceof WeftEvent.StageStateChanged s && p.test(s)) {
                out.add(s);
            }
        }
        return out;
    }

    List<WeftEvent.StageStateChanged> stagesReaching(StageState state) {
        return stages(s -> s.to() == state);
    }
}
