package io.ringwall.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Draining the VIP holder of an active/standby cluster moves its buckets to the node that takes its VIPs, and only
 * there: before, the close spread them over every open member first (the third node owned about half of them
 * for a token rotation or two) and moved them again once the VIP had landed.
 */
class DrainBucketsTest {
    private static final Pattern OWNED = Pattern.compile("^(\\S+) buckets generation=\\d+ owned=(\\d+)/");
    private static final Pattern TAKEOVER = Pattern.compile("^(\\S+) vip-takeover ");

    @Test
    void aDrainedHoldersBucketsGoOnlyToItsVipsNextHolder() {
        for (long seed = 1; seed <= 3; seed++) {
            List<String> logs = Collections.synchronizedList(new ArrayList<>());
            ScenarioResult r = new ScenarioRunner((c, fx, p) -> LogRecordingNodes.create(c, fx, p, logs))
                    .run("drain", seed);
            assertThat(r.invariantViolations()).as("seed %d", seed).isEmpty();
            Set<String> vipHolders = logs.stream().map(TAKEOVER::matcher).filter(Matcher::find)
                    .map(m -> m.group(1)).collect(Collectors.toSet());
            Set<String> bucketOwners = logs.stream().map(OWNED::matcher).filter(Matcher::find)
                    .filter(m -> Integer.parseInt(m.group(2)) > 0).map(m -> m.group(1)).collect(Collectors.toSet());
            assertThat(vipHolders).as("seed %d: the drain moved the VIPs once", seed).hasSize(2);
            assertThat(bucketOwners).as("seed %d: nodes that ever owned buckets", seed).isEqualTo(vipHolders);
        }
    }
}
