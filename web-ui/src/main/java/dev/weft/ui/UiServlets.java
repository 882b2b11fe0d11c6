package dev.weft.ui;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servlets {@link WebUiServer} mounts: one application's live UI, and the history server's UI of every logged
 * application under {@code /history/<appId>/}. Each finds what it serves in a servlet-context attribute (the way
 * Hadoop's own servlets get their state). An error inside is logged and answered 500 with one line, never a trace.
 */
final class UiServlets {
    static final String STORE_ATTRIBUTE = "weft.ui.store";
    static final String HISTORY_ATTRIBUTE = "weft.ui.history";
    static final String DRIVER_LOG_ATTRIBUTE = "weft.ui.driver-log";
    private static final Logger LOG = LoggerFactory.getLogger(UiServlets.class);

    private UiServlets() {}

    /** The live application: every path below the root. */
    public static final class Live extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            StatusStore store = (StatusStore) getServletContext().getAttribute(STORE_ATTRIBUTE);
            LogTail driverLog = (LogTail) getServletContext().getAttribute(DRIVER_LOG_ATTRIBUTE);
            String path = strip(req.getPathInfo());
            answer(resp, () -> UiRoutes.get(store, driverLog, path, query(req)));
        }
    }

    /** The history server: {@code /} lists the logs, {@code /history/<appId>/…} renders one. */
    public static final class History extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            HistoryProvider history = (HistoryProvider) getServletContext().getAttribute(HISTORY_ATTRIBUTE);
            String path = strip(req.getPathInfo());
            if (path.isEmpty()) {
                answer(resp, () -> new UiRoutes.Response(200, "text/html; charset=utf-8", history.listPage()));
                return;
            }
            if (!path.startsWith("history/")) {
                answer(
                        resp,
                        () -> new UiRoutes.Response(
                                404,
                                "text/plain; charset=utf-8",
                                "no page '" + path + "': see / for the applications"));
                return;
            }
            String rest = path.substring("history/".length());
            int slash = rest.indexOf('/');
            String appId = slash < 0 ? rest : rest.substring(0, slash);
            if (slash < 0) {
                // Relative links need the application's root to end with a slash.
                resp.sendRedirect(req.getRequestURI() + "/");
                return;
            }
            String inApp = rest.substring(slash + 1);
            answer(resp, () -> {
                Optional<StatusStore> store = history.store(appId);
                if (store.isEmpty()) {
                    return inApp.startsWith("api/")
                            ? UiRoutes.jsonNotFound("no event log of application '" + appId + "'")
                            : new UiRoutes.Response(
                                    404,
                                    "text/plain; charset=utf-8",
                                    "no event log of application '" + appId + "': see / for the applications");
                }
                return UiRoutes.get(store.get(), inApp, query(req));
            });
        }
    }

    private interface Answer {
        UiRoutes.Response get() throws IOException;
    }

    private static void answer(HttpServletResponse resp, Answer answer) throws IOException {
        UiRoutes.Response r;
        try {
            r = answer.get();
        } catch (IOException | RuntimeException e) {
            LOG.warn("web UI request failed", e);
            r = new UiRoutes.Response(
                    500,
                    "text/plain; charset=utf-8",
                    "internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
        resp.setStatus(r.status());
        resp.setContentType(r.contentType());
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    private static String strip(String pathInfo) {
        if (pathInfo == null) {
            return "";
        }
        String p = pathInfo.startsWith("/") ? pathInfo.substring(1) : pathInfo;
        return p.endsWith("/") && !p.startsWith("history/") ? p.substring(0, p.length() - 1) : p;
    }

    private static Map<String, String> query(HttpServletRequest req) {
        Map<String, String> q = new HashMap<>();
        req.getParameterMap().forEach((k, v) -> {
            if (v.length > 0) {
                q.put(k, v[0]);
            }
        });
        return q;
    }
}
