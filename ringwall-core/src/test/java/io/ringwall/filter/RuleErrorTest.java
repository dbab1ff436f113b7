package io.ringwall.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleErrorTest {
    static RuleSyntaxException failure(String text) {
        return catchThrowableOfType(RuleSyntaxException.class, () -> RuleParser.parse("rules.conf", text));
    }

    @Test
    void badPortNamesFileLineAndColumnOfTheToken() {
        String text = "# header\npolicy drop\n\n# web\naccept state established\n\naccept proto tcp dport 80a\n";
        RuleSyntaxException e = failure(text);
        assertThat(e.getMessage())
                .isEqualTo("rules.conf:7:24: unknown port '80a' (expected a number 0-65535 or a range N-M)");
        assertThat(e.fileName()).isEqualTo("rules.conf");
        assertThat(e.line()).isEqualTo(7);
        assertThat(e.column()).isEqualTo(24);
        assertThat(e.errors()).hasSize(1);
    }

    /** Each row: the single-line file, the offending token (its column is where the error must point), the message. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            accept proto tcp dport 80,443,x      | x               | unknown port 'x' (expected a number 0-65535 or a range N-M)
            accept proto udp dport 65536         | 65536           | port '65536' is out of range (expected 0-65535)
            accept proto udp sport 90-80         | 90-80           | port range '90-80' is reversed (did you mean 80-90?)
            accept proto tcp dport 80,,81        | ,81             | empty entry in port list
            accept proto tcp dprot 22            | dprot           | unknown keyword 'dprot' (did you mean 'dport'?)
            acept proto tcp                      | acept           | unknown keyword 'acept' (did you mean 'accept'?)
            frobnicate                           | frobnicate      | unknown keyword 'frobnicate' (expected one of: accept, drop, reject, policy)
            accept proto tcp proto udp           | proto udp       | duplicate 'proto' (already given at column 8)
            accept proto tcp dport               | dport           | missing value after 'dport'
            accept in proto tcp                  | in              | missing value after 'in'
            accept dport 22                      | dport           | 'dport' requires 'proto tcp' or 'proto udp'
            accept proto icmp sport 5            | sport           | 'sport' requires 'proto tcp' or 'proto udp' (this rule has proto icmp)
            accept icmp-type echo-request        | icmp-type       | 'icmp-type' requires 'proto icmp'
            accept proto icmp icmp-type echo-req | echo-req        | unknown icmp type 'echo-req' (expected one of: destination-unreachable, echo-reply, echo-request, parameter-problem, redirect, router-advertisement, router-solicitation, source-quench, time-exceeded, timestamp-reply, timestamp-request, or a number 0-255)
            accept proto icmp icmp-type 256      | 256             | icmp type 256 is out of range (expected 0-255)
            accept from 2001:db8::/32            | 2001            | IPv6 is not supported yet: '2001:db8::/32'
            accept to 10.0.0.256                 | 10.0            | invalid IPv4 address '10.0.0.256' (expected a.b.c.d with each part 0-255, optionally /prefix)
            accept to 10.01.0.1                  | 10.01           | invalid IPv4 address '10.01.0.1' (expected a.b.c.d with each part 0-255, optionally /prefix)
            accept from 10.1.0.5/24              | 10.1            | '10.1.0.5/24' has host bits set (did you mean 10.1.0.0/24?)
            accept from 10.0.0.0/33              | 33              | invalid prefix length '33' (expected 0-32)
            accept from 10.0.0.0/8,!10.1.0.0/16  | !10.1           | '!' negates the whole list and must come before its first entry
            accept from ! 10.0.0.0/8             | !               | expected an address after '!' (write it without a space, e.g. !10.0.0.0/8)
            accept state new,establised          | establised      | unknown state 'establised' (did you mean 'established'?)
            accept state new,new                 | new,new         | duplicate state 'new'
            accept proto tpc                     | tpc             | unknown protocol 'tpc' (did you mean 'tcp'?)
            accept proto 256                     | 256             | protocol 256 is out of range (expected 0-255)
            accept sync strcit                   | strcit          | unknown sync mode 'strcit' (did you mean 'strict'?)
            accept log proto tcp                 | proto           | match 'proto' must come before the flags (log, sync, comment)
            accept log log                       | log log         | duplicate 'log' (already given at column 8)
            accept comment hello                 | hello           | expected a quoted text after 'comment', e.g. comment "why"
            accept comment "oops                 | "oops           | unterminated string (missing closing '"')
            accept in "lan"                      | "lan"           | unexpected quoted text (only 'comment' takes one)
            accept in lan/0                      | lan/0           | invalid interface name 'lan/0' (1-15 characters: letters, digits, '.', '-', '_')
            policy allow                         | allow           | unknown policy 'allow' (expected one of: accept, drop, reject)
            policy drop log                      | log             | unexpected 'log' after the policy (a policy line is just 'policy ACTION')
            policy                               | policy          | missing action after 'policy' (expected accept, drop or reject)
            """)
    void errorPointsAtTheOffendingToken(String line, String token, String message) {
        RuleSyntaxException e = failure(line);
        int expectedColumn = line.lastIndexOf(token) + 1;
        // "duplicate" rows name the second occurrence; the token column is that of the last occurrence.
        if (token.equals("new,new")) {
            expectedColumn = line.indexOf("new,new") + "new,".length() + 1;
        } else if (token.equals("log log") || token.equals("proto udp")) {
            expectedColumn = line.lastIndexOf(token.split(" ")[0]) + 1;
        } else if (token.equals(",81")) {
            expectedColumn = line.indexOf(",,") + 2;
        }
        assertThat(expectedColumn).isPositive();
        assertThat(e.getMessage()).isEqualTo("rules.conf:1:" + expectedColumn + ": " + message);
    }

    @Test
    void duplicatePolicyNamesTheFirstLine() {
        assertThat(failure("policy drop\n\npolicy accept").getMessage())
                .isEqualTo("rules.conf:3:1: duplicate 'policy' (already set on line 1)");
    }

    @Test
    void controlCharacterIsReportedAtItsColumn() {
        assertThat(failure("accept\u0001 proto tcp").getMessage())
                .isEqualTo("rules.conf:1:7: unexpected control character U+0001");
    }

    @Test
    void tooManyListEntriesPointsAtTheFirstEntryOverTheBound() {
        StringBuilder ports = new StringBuilder();
        for (int i = 0; i <= RuleParser.MAX_LIST_ENTRIES; i++) {
            ports.append(i == 0 ? "" : ",").append(10 + i);
        }
        String line = "accept proto tcp dport " + ports;
        int column = line.lastIndexOf(',') + 2;
        assertThat(failure(line).getMessage())
                .isEqualTo("rules.conf:1:" + column + ": too many entries in port list (max 64)");
    }

    @Test
    void lineOverTheLengthBoundIsRejected() {
        String line = "accept" + " ".repeat(RuleParser.MAX_LINE_LENGTH);
        assertThat(failure("policy drop\n" + line).getMessage())
                .isEqualTo("rules.conf:2:4097: line is too long (4102 characters, max 4096)");
    }

    @Test
    void ruleOverTheCountBoundIsRejected() {
        String text = "drop proto udp\n".repeat(RuleParser.MAX_RULES) + "  accept";
        assertThat(failure(text).getMessage()).isEqualTo("rules.conf:10001:3: too many rules (max 10000)");
    }

    @Test
    void everyBadLineIsReportedUpToTheErrorBound() {
        RuleSyntaxException e = failure("accept proto tcp\nacept\nreject proto tcp dport 1-\naccept proto ftp\n");
        assertThat(e.errors()).extracting(RuleError::line).containsExactly(2, 3, 4);
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.column()).isEqualTo(1);
        assertThat(e.getMessage().lines()).hasSize(3);
        assertThat(e.getMessage().lines().toList().get(1)).startsWith("rules.conf:3:24: unknown port '1-'");

        RuleSyntaxException many = failure("bad\n".repeat(RuleParser.MAX_REPORTED_ERRORS + 5));
        assertThat(many.errors()).hasSize(RuleParser.MAX_REPORTED_ERRORS);
        assertThat(many.errors().getLast().line()).isEqualTo(RuleParser.MAX_REPORTED_ERRORS);
    }

    @Test
    void unknownInterfaceAtCompileTimeNamesItsLineAndColumn() throws Exception {
        RuleSet set = RuleParser.parse("rules.conf", "policy drop\naccept in lan out dmz proto tcp\n");
        RuleSyntaxException e = catchThrowableOfType(RuleSyntaxException.class,
                () -> set.compile(name -> name.equals("lan") ? 0 : -1));
        assertThat(e.getMessage()).isEqualTo("rules.conf:2:19: unknown interface 'dmz' on this node");
    }
}
