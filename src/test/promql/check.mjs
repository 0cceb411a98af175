// Parses PromQL expressions with Prometheus' own grammar (@prometheus-io/lezer-promql, the 0.313.x line is Prometheus
// 3.13's) and reports, for each, what PromqlGrammarTest asserts on: syntax errors, label matchers and range durations.
// Input on stdin: a JSON array of {"where": ..., "expr": ...}. Output on stdout: the same array, each entry with
// "errors" (offsets of error nodes), "matchers" ({label, op, value}) and "ranges" (durations of range and subquery
// selectors, as written).
import { parser } from '@prometheus-io/lezer-promql';
import { readFileSync } from 'node:fs';

const expressions = JSON.parse(readFileSync(0, 'utf8'));
const report = expressions.map(({ where, expr }) => {
  const errors = [];
  const matchers = [];
  const ranges = [];
  const text = (node) => expr.slice(node.from, node.to);
  parser.parse(expr).iterate({
    enter(ref) {
      if (ref.type.isError) {
        errors.push(ref.from);
      } else if (ref.name === 'UnquotedLabelMatcher' || ref.name === 'QuotedLabelMatcher') {
        const node = ref.node;
        const name = node.getChild('LabelName') ?? node.getChild('QuotedLabelName');
        matchers.push({
          label: text(name).replace(/^"|"$/g, ''),
          op: text(node.getChild('MatchOp')),
          value: JSON.parse(text(node.getChild('StringLiteral')).replace(/^'|'$/g, '"')),
        });
      } else if (ref.name === 'MatrixSelector' || ref.name === 'SubqueryExpr') {
        const durations = ref.node.getChildren('NumberDurationLiteralInDurationContext');
        if (durations.length > 0) {
          ranges.push(text(durations[0]));
        }
      }
    },
  });
  return { where, expr, errors, matchers, ranges };
});
process.stdout.write(JSON.stringify(report));
