package io.ringwall.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

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
    private static final Pattern OWNED_OF_TOTAL = Pattern.compile("^(\\S+) buckets generation=\\d+ owned=(\\d+)/(\\d+) ");
    private static final Pattern TAKEOVER = Pattern.compile("^(\\S+) vip-takeover ");

    @Test
    void aDrainedHoldersBucketsGoOnlyToItsVipsNextHolder() {
        for (long seed = 1; seed <= 3; seed++) {
            List<String> logs = drainLogs(seed);
            Set<String> vipHolders = logs.stream().map(TAKEOVER::matcher).filter(Matcher::find)
                    .map(m -> m.group(1)).collect(Collectors.toSet());
            Set<String> bucketOwners = logs.stream().map(OWNED_OF_TOTAL::matcher).filter(Matcher::find)
                    .filter(m -> Integer.parseInt(m.group(2)) > 0).map(m -> m.group(1)).collect(Collectors.toSet());
            assertThat(vipHolders).as("seed %d: the drain moved the VIPs once", seed).hasSize(2);
            assertThat(bucketOwners).as("seed %d: nodes that ever owned buckets", seed).isEqualTo(vipHolders);
        }
    }

    /**
     * The VIPs' next holder becomes the backup of every bucket while the drained holder keeps its VIPs, and the
     * VIPs and all the buckets then move in the same step: the next holder goes from owning no bucket to owning
     * all of them in one map (before, about half moved with the VIPs and the rest one re-replication later, their
     * frames passed back and forth between the two nodes meanwhile).
     */
    @Test
    void aDrainedHolderHandsOverItsVipsAndEveryBucketInOneStep() {
        for (long seed = 1; seed <= 3; seed++) {
            List<String> logs = drainLogs(seed);
            List<String> takeovers = logs.stream().map(TAKEOVER::matcher).filter(Matcher::find)
                    .map(m -> m.group(1)).distinct().toList();
            assertThat(takeovers).as("seed %d: first holder, then the drain's target", seed).hasSize(2);
            String target = takeovers.get(1);
            List<Matcher> targetMaps = logs.stream().map(OWNED_OF_TOTAL::matcher).filter(Matcher::find)
                    .filter(m -> m.group(1).equals(target) && !m.group(2).equals("0")).toList();
            assertThat(targetMaps).as("seed %d: %s's maps with buckets", seed, target).isNotEmpty();
            Matcher first = targetMaps.get(0);
            assertThat(first.group(2)).as("seed %d: buckets in %s's first map with any", seed, target)
                    .isEqualTo(first.group(3));
        }
    }

    /** Every node's log lines of the simulator's drain scenario, which must end without invariant violations. */
    private static List<String> drainLogs(long seed) {
        LogRecordingNodes.Logged run = LogRecordingNodes.run("drain", seed);
        assertThat(run.result().invariantViolations()).as("seed %d", seed).isEmpty();
        return run.logs();
    }
}
