package dev.weft.ui;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Which settings the environment page and the event log may show: the job's {@code weft.*} keys and a few Hadoop
 * keys that explain where things ran, with the value of any key that looks like a credential replaced. The event log
 * lives on HDFS for as long as its history is kept, so nothing secret may go into it.
 *
 * <p>Stateless and thread-safe.
 */
public final class Redaction {
    public static final String REDACTED = "*********(redacted)";
    private static final Pattern SECRET =
            Pattern.compile("secret|password|passwd|token|credential|keytab|private|\\.key$|access\\.key");
    private static final String[] SHOWN_PREFIXES = {
        "weft.", "fs.defaultFS", "yarn.resourcemanager.address", "hadoop.security.authentication", "dfs.replication"
    };

    private Redaction() {}

    /** The shown keys of {@code settings}, sorted, credentials redacted. */
    public static Map<String, String> shown(Map<String, String> settings) {
        Map<String, String> out = new TreeMap<>();
        settings.forEach((k, v) -> {
            if (isShown(k)) {
                out.put(k, isSecret(k) ? REDACTED : v);
            }
        });
        return out;
    }

    static boolean isSecret(String key) {
        return SECRET.matcher(key.toLowerCase(Locale.ROOT)).find();
    }

    private static boolean isShown(String key) {
        for (String p : SHOWN_PREFIXES) {
            if (key.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
