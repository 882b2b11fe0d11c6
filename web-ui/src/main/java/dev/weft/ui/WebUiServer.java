package dev.weft.ui;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.http.HttpServer2;

/**
 * A web server for the UI: Hadoop's own {@link HttpServer2} (Jetty), as the MapReduce ApplicationMaster and job
 * history server use, so the cluster's HTTP settings (filters such as SPNEGO authentication, the {@code /jmx},
 * {@code /conf} and {@code /logLevel} servlets) apply as they do to Hadoop's daemons.
 *
 * <p>Threading: start and close from one thread; Jetty's threads serve requests.
 */
public final class WebUiServer implements AutoCloseable {
    /** The HttpServer2 web application name: its resources are {@code webapps/weft} on the class path. */
    static final String WEBAPP = "weft";

    private final HttpServer2 server;

    private WebUiServer(HttpServer2 server) {
        this.server = server;
    }

    /**
     * Serves one application's live UI on {@code host}, on a free port.
     *
     * @param filters adds filters before the server starts (the ApplicationMaster adds the RM proxy's AmIpFilter)
     */
    public static WebUiServer live(String host, StatusStore store, Configuration conf, Consumer<HttpServer2> filters)
            throws IOException {
        return live(host, store, null, conf, filters);
    }

    /**
     * {@link #live(String, StatusStore, Configuration, Consumer)} that also serves {@code driverLog} (the driver's own
     * log file) from a byte offset at {@code api/v1/driver-log?from=N}, for clients that follow it.
     */
    public static WebUiServer live(
            String host,
            StatusStore store,
            java.nio.file.Path driverLog,
            Configuration conf,
            Consumer<HttpServer2> filters)
            throws IOException {
        HttpServer2 server = builder(host, 0, conf).build();
        server.setAttribute(UiServlets.STORE_ATTRIBUTE, store);
        if (driverLog != null) {
            server.setAttribute(UiServlets.DRIVER_LOG_ATTRIBUTE, new LogTail(driverLog));
        }
        filters.accept(server);
        server.addServlet("weft-ui", "/*", UiServlets.Live.class);
        return start(server);
    }

    /** Serves the history of the event logs in {@code dir} on {@code host:port} (0: a free port). */
    public static WebUiServer history(String host, int port, FileSystem fs, Path dir, Configuration conf)
            throws IOException {
        HttpServer2 server = builder(host, port, conf).build();
        server.setAttribute(UiServlets.HISTORY_ATTRIBUTE, new HistoryProvider(fs, dir));
        server.addServlet("weft-history", "/*", UiServlets.History.class);
        return start(server);
    }

    private static HttpServer2.Builder builder(String host, int port, Configuration conf) {
        return new HttpServer2.Builder()
                .setName(WEBAPP)
                .addEndpoint(URI.create("http://" + host + ":" + port))
                .setFindPort(port == 0)
                .setConf(conf);
    }

    private static WebUiServer start(HttpServer2 server) throws IOException {
        server.start();
        return new WebUiServer(server);
    }

    public InetSocketAddress address() {
        return server.getConnectorAddress(0);
    }

    public int port() {
        return address().getPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
