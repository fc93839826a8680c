package org.lastfmgnn.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What ran the benchmark, read off the machine, and this process's peak resident memory. */
public final class Machine {
    private Machine() {
    }

    public static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu", procLine("/proc/cpuinfo", "model name"));
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("memoryMb", kilobytes("/proc/meminfo", "MemTotal:") / 1024);
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("pytorchThreads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
        m.put("maxHeapMb", Runtime.getRuntime().maxMemory() >> 20);
        return m;
    }

    /** VmHWM: the most resident memory this process has had, heap and native together. */
    public static long peakRssMb() {
        return kilobytes("/proc/self/status", "VmHWM:") / 1024;
    }

    /**
     * Resets the peak resident size to the current one (Linux: "5" into /proc/self/clear_refs), so that a later
     * {@link #peakRssMb()} is the peak of what runs in between; returns the current resident size, MB (-1: no /proc).
     */
    public static long resetPeakRssMb() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return -1;
        }
        return kilobytes("/proc/self/status", "VmRSS:") / 1024;
    }

    /**
     * The JVM heap's committed size, MB: the part of a resident growth that is the JVM enlarging its heap, which it
     * does under garbage pressure whatever the live data needs (up to its maximum, which a training is checked
     * against instead).
     */
    public static long heapCommittedMb() {
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() >> 20;
    }

    private static long kilobytes(String file, String key) {
        String line = procLine(file, key);
        return line.isEmpty() ? -1 : Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    private static String procLine(String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return "";
        }
        return "";
    }
}
