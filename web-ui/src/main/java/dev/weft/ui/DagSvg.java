package dev.weft.ui;

import dev.weft.events.WeftEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws a job's stage graph as SVG, server-side: stages as boxes in columns by depth (a stage one column right of
 * its deepest parent), shuffles as arrows from the stage that writes to the stage that reads, each box coloured by
 * its state and linking (relatively) to the stage's page. No script, no external resource.
 *
 * <p>Stateless and thread-safe.
 */
final class DagSvg {
    static final int BOX_WIDTH = 200;
    static final int BOX_HEIGHT = 52;
    private static final int COLUMN_GAP = 70;
    private static final int ROW_GAP = 24;
    private static final int MARGIN = 16;

    private DagSvg() {}

    /**
     * @param states each stage's state for this job (RUNNING, SUCCEEDED, FAILED, ABORTED, WAITING, PENDING or
     *     SKIPPED); a stage without one is drawn PENDING
     */
    static String render(List<WeftEvent.PlannedStage> plan, Map<Integer, String> states) {
        Map<Integer, WeftEvent.PlannedStage> byId = new HashMap<>();
        plan.forEach(s -> byId.put(s.stageId(), s));
        Map<Integer, Integer> depth = new HashMap<>();
        for (WeftEvent.PlannedStage s : plan) {
            depthOf(s.stageId(), byId, depth, 0);
        }
        Map<Integer, List<Integer>> columns = new java.util.TreeMap<>();
        for (WeftEvent.PlannedStage s : plan) {
            columns.computeIfAbsent(depth.get(s.stageId()), d -> new ArrayList<>())
                    .add(s.stageId());
        }
        Map<Integer, int[]> position = new HashMap<>();
        int rows = 1;
        for (Map.Entry<Integer, List<Integer>> c : columns.entrySet()) {
            List<Integer> ids = c.getValue();
            rows = Math.max(rows, ids.size());
            for (int i = 0; i < ids.size(); i++) {
                position.put(ids.get(i), new int[] {
                    MARGIN + c.getKey() * (BOX_WIDTH + COLUMN_GAP), MARGIN + i * (BOX_HEIGHT + ROW_GAP)
                });
            }
        }
        int width = MARGIN * 2 + Math.max(1, columns.size()) * (BOX_WIDTH + COLUMN_GAP) - COLUMN_GAP;
        int height = MARGIN * 2 + rows * (BOX_HEIGHT + ROW_GAP) - ROW_GAP;
        StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"dag\" width=\"")
                .append(width)
                .append("\" height=\"")
                .append(height)
                .append("\" viewBox=\"0 0 ")
                .append(width)
                .append(' ')
                .append(height)
                .append("\" role=\"img\" aria-label=\"stage graph\">")
                .append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\""
                        + " markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\""
                        + " fill=\"#555\"/></marker></defs>");
        for (WeftEvent.PlannedStage s : plan) {
            int[] to = position.get(s.stageId());
            for (int parent : s.parentIds()) {
                int[] from = position.get(parent);
                if (from == null) {
                    continue;
                }
                sb.append("<line class=\"shuffle\" x1=\"")
                        .append(from[0] + BOX_WIDTH)
                        .append("\" y1=\"")
                        .append(from[1] + BOX_HEIGHT / 2)
                        .append("\" x2=\"")
                        .append(to[0])
                        .append("\" y2=\"")
                        .append(to[1] + BOX_HEIGHT / 2)
                        .append("\" stroke=\"#555\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"/>");
            }
        }
        for (WeftEvent.PlannedStage s : plan) {
            int[] p = position.get(s.stageId());
            String state = states.getOrDefault(s.stageId(), "PENDING");
            sb.append("<a href=\"stage?id=")
                    .append(s.stageId())
                    .append("\"><g class=\"stage-node state-")
                    .append(Html.esc(state.toLowerCase(java.util.Locale.ROOT)))
                    .append("\" id=\"stage-node-")
                    .append(s.stageId())
                    .append("\"><title>")
                    .append(Html.esc("stage " + s.stageId() + " " + s.name() + ": " + state))
                    .append("</title><rect x=\"")
                    .append(p[0])
                    .append("\" y=\"")
                    .append(p[1])
                    .append("\" width=\"")
                    .append(BOX_WIDTH)
                    .append("\" height=\"")
                    .append(BOX_HEIGHT)
                    .append("\" rx=\"6\" fill=\"")
                    .append(fill(state))
                    .append("\" stroke=\"#333\"")
                    .append(state.equals("SKIPPED") ? " stroke-dasharray=\"4 3\"" : "")
                    .append("/><text x=\"")
                    .append(p[0] + 8)
                    .append("\" y=\"")
                    .append(p[1] + 20)
                    .append("\" font-family=\"sans-serif\" font-size=\"13\" font-weight=\"bold\">Stage ")
                    .append(s.stageId())
                    .append(" &#183; ")
                    .append(Html.esc(state))
                    .append("</text><text x=\"")
                    .append(p[0] + 8)
                    .append("\" y=\"")
                    .append(p[1] + 40)
                    .append("\" font-family=\"sans-serif\" font-size=\"11\">")
                    .append(Html.esc(shorten(s.name(), 30)))
                    .append(" (")
                    .append(s.numTasks())
                    .append(")</text></g></a>");
        }
        return sb.append("</svg>").toString();
    }

    private static int depthOf(
            int id, Map<Integer, WeftEvent.PlannedStage> byId, Map<Integer, Integer> depth, int guard) {
        Integer known = depth.get(id);
        if (known != null) {
            return known;
        }
        WeftEvent.PlannedStage s = byId.get(id);
        int d = 0;
        if (s != null && guard <= byId.size()) {
            for (int parent : s.parentIds()) {
                if (byId.containsKey(parent)) {
                    d = Math.max(d, depthOf(parent, byId, depth, guard + 1) + 1);
                }
            }
        }
        depth.put(id, d);
        return d;
    }

    static String fill(String state) {
        return switch (state) {
            case "SUCCEEDED" -> "#a5d6a7";
            case "RUNNING" -> "#90caf9";
            case "FAILED", "ABORTED" -> "#ef9a9a";
            case "SKIPPED" -> "#f5f5f5";
            default -> "#e0e0e0";
        };
    }

    private static String shorten(String s, int max) {
        if (s == null) {
            return "";
        }
        return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
    }
}
