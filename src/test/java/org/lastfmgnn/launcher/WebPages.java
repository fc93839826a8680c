package org.lastfmgnn.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * What a person sees after the launcher's first command, checked in a real browser: Neo4j Browser styled by us with
 * our guide open after one login, and the explorer drawing widths that follow importance and attention. Each check
 * leaves a screenshot in target/ (the README's pictures).
 */
final class WebPages {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Colours of lastfm.grass: a User node, an INFLUENCES relationship. Browser's defaults are neither. */
    static final String USER_COLOUR = "#4c8eda";
    static final String INFLUENCES_COLOUR = "#d9534f";

    private WebPages() {
    }

    /** Logs in to Browser once: our guide opens by itself, and the explanation query is drawn in our style. */
    static void browserIsReadyOnLogin(String http, String password, Path screenshot) throws IOException {
        try (BrowserWindow window = BrowserWindow.open()) {
            window.get(http + "/browser/");
            window.await(WAIT, d -> window.find("[data-testid=username]").isDisplayed());
            window.find("[data-testid=username]").sendKeys("neo4j");
            window.find("[data-testid=password]").sendKeys(password);
            window.find("[data-testid=connect]").click();
            // post_connect_cmd: the guide frame appears without anyone typing :play
            window.await(WAIT, d -> window.pageSource().contains("lastfm-gnn: graph neural networks inside Neo4j"));

            WebElement editor = window.await(WAIT, d -> window.find("[data-testid=activeEditor] textarea"));
            editor.sendKeys("MATCH (s:User)-[i:INFLUENCES {explainedUser: 1005}]->(t:User) RETURN s, i, t");
            editor.sendKeys(Keys.ENTER);
            // the graph frame draws our colours, which only the applied style can give
            window.await(WAIT, d -> window.pageSource().toLowerCase().contains("fill=\"" + USER_COLOUR + "\""));
            String page = window.pageSource().toLowerCase();
            assertThat(page).contains(USER_COLOUR).contains(INFLUENCES_COLOUR);
            window.screenshot(screenshot);
        }
    }

    /**
     * The explorer: a wrong password shows an error and no graph; the right one draws 1005's explanation with edge
     * widths that differ (they follow importance), then the GAT's attention around 1005, with differing widths too.
     */
    static void explorerDrawsImportanceAndAttention(String http, String password, Path screenshot) throws IOException {
        try (BrowserWindow window = BrowserWindow.open()) {
            window.get(http + "/lastfm/explorer?user=1005");
            window.await(WAIT, d -> window.find("#password").isDisplayed());
            window.find("#password").sendKeys("not-the-password");
            window.find("#login button").click();
            window.await(WAIT, d -> "error".equals(state(window)));
            assertThat(window.find("#error").getText()).contains("Wrong user or password");
            assertThat(window.find("#controls").isDisplayed()).isFalse();
            assertThat(window.script("return document.body.dataset.edges")).as("nothing drawn").isNull();

            window.find("#password").clear();
            window.find("#password").sendKeys(password);
            window.find("#login button").click();
            window.await(WAIT, d -> "drawn".equals(state(window)));
            assertThat(distinctWidths(window)).as("explanation widths follow importance").hasSizeGreaterThan(1);
            assertThat(window.find("#caption").getText()).contains("1005").contains("importance");
            window.screenshot(screenshot);

            new Select(window.find("#view")).selectByValue("attention");
            window.find("#controls button").click();
            window.await(WAIT, d -> "drawn".equals(state(window))
                    && window.find("#caption").getText().contains("attention"));
            assertThat(distinctWidths(window)).as("attention widths differ by direction and friend").hasSizeGreaterThan(1);
            window.screenshot(screenshot.resolveSibling("explorer-attention.png"));
        }
    }

    private static String state(BrowserWindow window) {
        return (String) window.script("return document.body.dataset.state");
    }

    private static Set<Double> distinctWidths(BrowserWindow window) throws IOException {
        JsonNode widths = new ObjectMapper().readTree((String) window.script("return document.body.dataset.widths"));
        assertThat(widths.size()).isPositive();
        Set<Double> distinct = new HashSet<>();
        widths.forEach(w -> distinct.add(w.asDouble()));
        return distinct;
    }
}
