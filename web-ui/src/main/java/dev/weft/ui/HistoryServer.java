package dev.weft.ui;

import dev.weft.annotations.SuppressForbidden;
import dev.weft.conf.HadoopConfigurations;
import java.util.concurrent.CountDownLatch;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@code ./weft history [dir] [host:port]}: serves the pages and the JSON API of every application whose event log
 * is in {@code dir} (default {@value #DIR_KEY} from the Hadoop configuration on the class path), on {@code host:port}
 * (default {@value #ADDRESS_KEY}, else {@value #DEFAULT_ADDRESS}), until it is stopped.
 */
public final class HistoryServer {
    static final String DIR_KEY = "weft.event-log.dir";
    static final String ADDRESS_KEY = "weft.history.address";
    static final String DEFAULT_ADDRESS = "0.0.0.0:18090";

    private HistoryServer() {}

    @SuppressForbidden("a command-line program: usage and the address go to the terminal")
    public static void main(String[] args) throws Exception {
        Configuration conf = HadoopConfigurations.create();
        String dir = args.length > 0 ? args[0] : conf.get(DIR_KEY);
        if (dir == null || dir.isBlank()) {
            System.err.println("usage: weft history <event log dir> [host:port] (or set " + DIR_KEY + ")");
            System.exit(2);
        }
        String address = UiConfigKeys.hostPort(args.length > 1 ? args[1] : conf.get(ADDRESS_KEY, DEFAULT_ADDRESS));
        int colon = address.lastIndexOf(':');
        Path path = new Path(dir);
        FileSystem fs = path.getFileSystem(conf);
        if (!fs.getFileStatus(path).isDirectory()) {
            System.err.println(path + " is not a directory");
            System.exit(2);
        }
        WebUiServer server = WebUiServer.history(
                address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)), fs, path, conf);
        String shown = server.address().getAddress().isAnyLocalAddress()
                ? java.net.InetAddress.getLocalHost().getCanonicalHostName()
                : server.address().getHostString();
        System.out.println("weft history: serving the event logs of " + fs.makeQualified(path) + " at http://" + shown
                + ":" + server.port() + "/");
        new CountDownLatch(1).await();
    }
}
