package org.lastfmgnn.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code report.json}: one section per pipeline step, plus the timings of each. */
final class Report {
    private final Map<String, Object> sections = new LinkedHashMap<>();
    private final Map<String, Object> timings = new LinkedHashMap<>();

    void section(String name, Map<String, Object> content) {
        sections.put(name, content);
    }

    /** Records the milliseconds since {@code startNanos} under {@code name}. */
    void timing(String name, long startNanos) {
        millis(name, (System.nanoTime() - startNanos) / 1_000_000);
    }

    void millis(String name, long millis) {
        timings.put(name, millis);
    }

    /** A setting the timings depend on, beside them (e.g. how many stages ran at once). */
    void value(String name, Object value) {
        timings.put(name, value);
    }

    Path write(Path outDir) throws IOException {
        Files.createDirectories(outDir);
        Map<String, Object> all = new LinkedHashMap<>(sections);
        all.put("timings", timings);
        Path file = outDir.resolve("report.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), all);
        return file;
    }
}
