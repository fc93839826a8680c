package org.lastfmgnn.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A procedure's config map, read the way GDS reads its configs: every key must be known, every value must
 * have the right type, and an error names the bad key or value together with what is allowed.
 */
public final class ConfigMap {
    private final String procedure;
    private final Map<String, Object> values;

    private ConfigMap(String procedure, Map<String, Object> values) {
        this.procedure = procedure;
        this.values = values;
    }

    /** Wraps {@code raw} (null means empty) and rejects keys outside {@code validKeys}. */
    public static ConfigMap of(String procedure, Map<String, Object> raw, Collection<String> validKeys) {
        Map<String, Object> values = raw == null ? Map.of() : raw;
        Set<String> valid = new TreeSet<>(validKeys);
        List<String> unknown = new ArrayList<>();
        for (String key : values.keySet()) {
            if (!valid.contains(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            String key = unknown.get(0);
            String hint = closest(key, valid);
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: unknown configuration key '%s'%s. Valid keys: %s",
                    procedure, key, hint == null ? "" : " (did you mean '" + hint + "'?)", valid));
        }
        return new ConfigMap(procedure, values);
    }

    public boolean has(String key) {
        return values.containsKey(key) && values.get(key) != null;
    }

    public String string(String key, String defaultValue) {
        Object v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (!(v instanceof String s)) {
            throw typeError(key, v, "a string");
        }
        return s;
    }

    /** A string restricted to {@code allowed} (case-insensitive); returned in lower case. */
    public String choice(String key, String defaultValue, Collection<String> allowed) {
        String v = string(key, defaultValue).toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: '%s' is not a valid value for '%s'. Allowed: %s", procedure, v, key, allowed));
        }
        return v;
    }

    public long integer(String key, long defaultValue, long min, long max) {
        Object v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (!(v instanceof Long || v instanceof Integer || v instanceof Short)) {
            throw typeError(key, v, "an integer");
        }
        long n = ((Number) v).longValue();
        if (n < min || n > max) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: '%s' must be between %d and %d, got %d", procedure, key, min, max, n));
        }
        return n;
    }

    public double number(String key, double defaultValue, double min, double max) {
        Object v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (!(v instanceof Number number)) {
            throw typeError(key, v, "a number");
        }
        double d = number.doubleValue();
        if (!(d >= min && d <= max)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: '%s' must be between %s and %s, got %s", procedure, key, min, max, d));
        }
        return d;
    }

    /**
     * A list of strings, each one of {@code allowed} (a single string counts as a list of one), in the given order
     * without repeats; {@code defaultValue} when absent; an error when empty.
     */
    public List<String> strings(String key, List<String> defaultValue, Collection<String> allowed) {
        Object v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        List<?> list = v instanceof List<?> l ? l : List.of(v);
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        for (Object o : list) {
            if (!(o instanceof String s) || !allowed.contains(s)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: '%s' holds '%s'. Allowed: %s",
                        procedure, key, o, allowed));
            }
            out.add(s);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: '%s' is empty. Allowed: %s", procedure,
                    key, allowed));
        }
        return List.copyOf(out);
    }

    public boolean bool(String key, boolean defaultValue) {
        Object v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (!(v instanceof Boolean b)) {
            throw typeError(key, v, "a boolean");
        }
        return b;
    }

    private IllegalArgumentException typeError(String key, Object value, String expected) {
        return new IllegalArgumentException(String.format(Locale.ROOT,
                "%s: '%s' must be %s, got %s (%s)", procedure, key, expected, value,
                value.getClass().getSimpleName()));
    }

    /** The valid key nearest to {@code key} by edit distance, if it is near enough to be a typo. */
    static String closest(String key, Set<String> valid) {
        return valid.stream()
                .min(Comparator.comparingInt(k -> editDistance(key.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT))))
                .filter(k -> editDistance(key.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT)) <= Math.max(2, k.length() / 3))
                .orElse(null);
    }

    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
