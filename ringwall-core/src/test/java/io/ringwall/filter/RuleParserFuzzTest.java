package io.ringwall.filter;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import io.ringwall.time.Prng;
import org.junit.jupiter.api.Test;

/**
 * Whatever the text, parsing either succeeds or fails with {@link RuleSyntaxException} pointing
 * inside the file; nothing else may come out. The Jazzer test runs its seed corpus in regression
 * mode (plain {@code mvn test}) and explores with {@code JAZZER_FUZZ=1}; the seeded mutation test
 * explores on every build.
 */
class RuleParserFuzzTest {
    static final long SEED = 0xF022_2024L;
    static final int MUTANTS = 10_000;
    static final int MAX_MUTATIONS = 8;
    /** Characters the grammar cares about, plus some it must reject, so mutants stay near the language. */
    static final String ALPHABET = " \t\n\r#\"!,-/.:0123456789abcdeilnoprstuwxyz\u0000\u00e9\u2028";
    static final String[] SNIPPETS = {"accept", "drop", "policy", "proto tcp", "dport", "sport", "from", "to",
        "in lan", "out wan", "state", "icmp-type", "log", "sync", "comment", "!", "10.0.0.0/8", "65535", "-", ",",
        "\"", "#", "\n", "::1", "4294967296"};

    @FuzzTest(maxDuration = "10s")
    void parseThrowsNothingButRuleSyntaxException(@NotNull String text) {
        checkParse(text);
    }

    @Test
    void seededMutationsOfAValidFileThrowNothingButRuleSyntaxException() {
        Prng prng = new Prng(SEED);
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < MUTANTS; i++) {
            String mutant = mutate(prng, RuleParserTest.EXAMPLE);
            if (checkParse(mutant)) {
                accepted++;
            } else {
                rejected++;
            }
        }
        // Both outcomes must be exercised, or the mutator is not probing the parser.
        assertThat(accepted).isPositive();
        assertThat(rejected).isPositive();
    }

    /** Parses, compiles and matches; returns whether the text was a valid rule set. */
    static boolean checkParse(String text) {
        try {
            RuleSet set = RuleParser.parse("fuzz.conf", text);
            CompiledRuleSet compiled = set.compile(name -> Math.floorMod(name.hashCode(), 4));
            int index = compiled.match(new FilterInput());
            assertThat(index).isBetween(-1, compiled.size() - 1);
            compiled.count(index, 1);
            assertThat(compiled.describe(index)).isNotNull();
            return true;
        } catch (RuleSyntaxException e) {
            long lines = text.chars().filter(c -> c == '\n').count() + 1;
            assertThat(e.errors()).isNotEmpty().hasSizeLessThanOrEqualTo(RuleParser.MAX_REPORTED_ERRORS);
            for (RuleError error : e.errors()) {
                assertThat(error.line()).isBetween(1, (int) lines);
                assertThat(error.column()).isPositive();
                assertThat(error.message()).isNotBlank();
            }
            return false;
        }
    }

    static String mutate(Prng prng, String text) {
        StringBuilder out = new StringBuilder(text);
        int mutations = 1 + prng.nextInt(MAX_MUTATIONS);
        for (int m = 0; m < mutations; m++) {
            int at = prng.nextInt(out.length() + 1);
            switch (prng.nextInt(4)) {
                case 0 -> out.insert(at, ALPHABET.charAt(prng.nextInt(ALPHABET.length())));
                case 1 -> out.insert(at, SNIPPETS[prng.nextInt(SNIPPETS.length)]);
                case 2 -> {
                    if (at < out.length()) {
                        out.delete(at, Math.min(out.length(), at + 1 + prng.nextInt(6)));
                    }
                }
                default -> {
                    if (at < out.length()) {
                        out.setCharAt(at, ALPHABET.charAt(prng.nextInt(ALPHABET.length())));
                    }
                }
            }
        }
        return out.toString();
    }
}
