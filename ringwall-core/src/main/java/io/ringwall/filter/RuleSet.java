package io.ringwall.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * A parsed, validated rule file: rules in order (first match wins) and the policy applied when
 * none matches. Immutable; {@link #compile} turns it into the data plane's matcher.
 *
 * @param policyLine the line of the {@code policy} statement, or 0 when the file has none (policy drop)
 */
public record RuleSet(String fileName, Action defaultPolicy, int policyLine, List<Rule> rules) {
    public static final Action DEFAULT_POLICY = Action.DROP;

    public RuleSet {
        rules = List.copyOf(rules);
        if (rules.size() > RuleParser.MAX_RULES) {
            throw new IllegalArgumentException("too many rules: " + rules.size());
        }
    }

    /**
     * Resolves interface names to node-local indexes and builds the matcher.
     *
     * @param interfaceIndexOf name to index, or a negative number when this node has no such interface
     * @throws RuleSyntaxException naming line:column of every unknown interface (up to the error bound)
     */
    public CompiledRuleSet compile(ToIntFunction<String> interfaceIndexOf) throws RuleSyntaxException {
        int[] inIf = new int[rules.size()];
        int[] outIf = new int[rules.size()];
        List<RuleError> errors = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            inIf[i] = resolve(r.inInterface(), r.line(), r.inInterfaceColumn(), interfaceIndexOf, errors);
            outIf[i] = resolve(r.outInterface(), r.line(), r.outInterfaceColumn(), interfaceIndexOf, errors);
        }
        if (!errors.isEmpty()) {
            throw new RuleSyntaxException(errors);
        }
        return new CompiledRuleSet(this, inIf, outIf);
    }

    private int resolve(String name, int line, int column, ToIntFunction<String> indexOf, List<RuleError> errors) {
        if (name == null) {
            return CompiledRuleSet.ANY_INTERFACE;
        }
        int index = indexOf.applyAsInt(name);
        if (index < 0 && errors.size() < RuleParser.MAX_REPORTED_ERRORS) {
            errors.add(new RuleError(fileName, line, column, "unknown interface '" + name + "' on this node"));
        }
        return index;
    }
}
