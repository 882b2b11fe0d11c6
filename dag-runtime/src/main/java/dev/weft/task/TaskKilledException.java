package dev.weft.task;

/** The driver asked this task attempt to stop (its job ended or another attempt won). */
public class TaskKilledException extends RuntimeException {
    public TaskKilledException(String message) {
        super(message);
    }
}
