package dev.weft.api;

import java.util.List;
import java.util.Set;

/**
 * Names a dataset or job after the user's line that created it ("reduceByKey at WordCount.java:31"), so
 * stages, logs and failures point at user code.
 */
final class CallSite {
    private static final Set<String> API_CLASSES = Set.of(
            Dataset.class.getName(),
            PairDataset.class.getName(),
            WeftContext.class.getName(),
            CallSite.class.getName());

    private CallSite() {}

    static String current() {
        List<StackWalker.StackFrame> frames =
                StackWalker.getInstance().walk(s -> s.limit(32).toList());
        String op = "?";
        for (StackWalker.StackFrame f : frames) {
            if (API_CLASSES.contains(f.getClassName()) || isFormatModule(f.getClassName())) {
                if (!f.getClassName().equals(CallSite.class.getName())) {
                    op = f.getMethodName();
                }
                continue;
            }
            return op + " at " + (f.getFileName() == null ? f.getClassName() : f.getFileName()) + ":"
                    + f.getLineNumber();
        }
        return op;
    }

    /**
     * Input and output format modules (hdfs-io's {@code dev.weft.hdfs}) are API too: "sequenceFile at Job.java:12"
     * names the user's line, not the module's.
     */
    private static boolean isFormatModule(String className) {
        return className.startsWith("dev.weft.hdfs.");
    }
}
