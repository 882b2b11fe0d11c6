package dev.weft.ui;

import dev.weft.conf.ConfigKey;
import dev.weft.conf.ConfigKeyProvider;
import dev.weft.conf.ConfigParser;
import dev.weft.conf.ConfigParsers;
import dev.weft.conf.ConfigUnit;
import java.util.List;

/** The keys of the driver's web UI, its event log and the history server. */
public final class UiConfigKeys implements ConfigKeyProvider {
    static final String MODULE = "web-ui";

    public static final ConfigKey<String> EVENT_LOG_DIR = new ConfigKey<>(
            "weft.event-log.dir",
            MODULE,
            null,
            "Directory (on the job's default file system unless a URI says otherwise) where the driver writes its"
                    + " event log, one JSON line per scheduler event, for './weft history' to render after the"
                    + " application ends. It must exist; unset: no event log.",
            ConfigParsers.nonEmpty());
    public static final ConfigKey<String> HISTORY_ADDRESS = new ConfigKey<>(
            "weft.history.address",
            MODULE,
            null,
            "host:port of the history server ('./weft history') reading weft.event-log.dir. When set (with an event"
                    + " log), the driver leaves the application's page there as its final tracking URL, so the RM's"
                    + " link still works after the driver exits.",
            new ConfigParser<>(ConfigUnit.NONE, "host:port", UiConfigKeys::hostPort));

    public static final List<ConfigKey<?>> KEYS = List.of(EVENT_LOG_DIR, HISTORY_ADDRESS);

    static String hostPort(String raw) {
        String s = raw.trim();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("not host:port");
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the port is not a number", e);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the port is out of range 1-65535");
        }
        return s;
    }

    @Override
    public String module() {
        return MODULE;
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return KEYS;
    }
}
