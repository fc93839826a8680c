package org.lastfmgnn.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.core.Response;

/**
 * The project's pages on Neo4j's HTTP port, as an unmanaged extension mounted at {@code /lastfm}
 * ({@code server.unmanaged_extension_classes=org.lastfmgnn.web=/lastfm}): the Browser style and guide, and the
 * explorer with its chart library (ECharts, from its webjar). Static files only: the explorer reads the graph
 * through Neo4j's own HTTP endpoint with the user's login, so nothing here bypasses authentication.
 */
@Path("/")
public class LastFmWeb {
    /** The files served, with their content types: nothing else under /lastfm answers. */
    static final Map<String, String> FILES = Map.of(
            "lastfm.grass", "text/plain; charset=utf-8",
            "guide.html", "text/html; charset=utf-8",
            "explorer", "text/html; charset=utf-8",
            "explorer.js", "application/javascript; charset=utf-8",
            "explorer.css", "text/css; charset=utf-8");
    static final String ECHARTS = "/META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";

    @GET
    @Path("{file}")
    public Response file(@PathParam("file") String file) throws IOException {
        String type = FILES.get(file);
        if (type == null) {
            return Response.status(Response.Status.NOT_FOUND).build();
        }
        String resource = "/lastfm-web/" + (file.equals("explorer") ? "explorer.html" : file);
        return serve(resource, type);
    }

    @GET
    @Path("lib/echarts.min.js")
    public Response echarts() throws IOException {
        return serve(ECHARTS, "application/javascript; charset=utf-8");
    }

    private static Response serve(String resource, String type) throws IOException {
        try (InputStream in = LastFmWeb.class.getResourceAsStream(resource)) {
            if (in == null) {
                return Response.status(Response.Status.NOT_FOUND).build();
            }
            return Response.ok(in.readAllBytes(), type).header("Cache-Control", "no-cache")
                    .header("Access-Control-Allow-Origin", "*").build();
        }
    }
}
