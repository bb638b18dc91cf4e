/**
 * Matcher semantics as a table: each row is checked against our parser, and — where amtool
 * is installed — against Alertmanager's own (`amtool config routes test`), so the expected
 * column is Alertmanager's behaviour, not ours. The reference is Debian bookworm's
 * Alertmanager 0.25 (built with Go 1.19).
 */
export interface MatchCase {
  matcher: string;
  labels: Record<string, string>;
  matches: boolean;
}

export const MATCH_CASES: MatchCase[] = [
  // equality, missing label = empty string
  { matcher: 'service="payment"', labels: { service: 'payment' }, matches: true },
  { matcher: 'service="payment"', labels: { service: 'payments' }, matches: false },
  { matcher: 'service=payment', labels: { service: 'payment' }, matches: true },
  { matcher: ' service = "payment" ', labels: { service: 'payment' }, matches: true },
  { matcher: 'service=""', labels: {}, matches: true },
  { matcher: 'service=', labels: {}, matches: true },
  { matcher: 'service!=""', labels: {}, matches: false },
  { matcher: 'service!="payment"', labels: {}, matches: true },
  { matcher: 'service!="payment"', labels: { service: 'payment' }, matches: false },
  { matcher: 'service="Payment"', labels: { service: 'payment' }, matches: false },
  // quoting and escapes
  { matcher: 'msg="a,b"', labels: { msg: 'a,b' }, matches: true },
  { matcher: 'msg="say \\"hi\\""', labels: { msg: 'say "hi"' }, matches: true },
  { matcher: 'msg="back\\\\slash"', labels: { msg: 'back\\slash' }, matches: true },
  { matcher: 'msg="line\\nbreak"', labels: { msg: 'line\nbreak' }, matches: true },
  { matcher: 'msg="spurious\\qescape"', labels: { msg: 'spurious\\qescape' }, matches: true },
  { matcher: 'msg="keeps inner space "', labels: { msg: 'keeps inner space ' }, matches: true },
  { matcher: 'msg="ünïcødé ✓"', labels: { msg: 'ünïcødé ✓' }, matches: true },
  {
    matcher: '{service="payment", severity="critical"}',
    labels: { service: 'payment', severity: 'critical' },
    matches: true,
  },
  {
    matcher: '{service="payment", severity="critical", }',
    labels: { service: 'payment', severity: 'warning' },
    matches: false,
  },
  { matcher: 'a=1,b!=2', labels: { a: '1', b: '3' }, matches: true },
  // regexes are anchored
  { matcher: 'severity=~"critical|warning"', labels: { severity: 'warning' }, matches: true },
  { matcher: 'severity=~"critical|warning"', labels: { severity: 'info' }, matches: false },
  { matcher: 'severity=~"crit"', labels: { severity: 'critical' }, matches: false },
  { matcher: 'severity=~"crit.*"', labels: { severity: 'critical' }, matches: true },
  { matcher: 'severity=~"critical|warning"', labels: { severity: 'xcritical' }, matches: false },
  { matcher: 'severity=~".*"', labels: {}, matches: true },
  { matcher: 'severity=~".+"', labels: {}, matches: false },
  { matcher: 'severity!~"info|none"', labels: { severity: 'critical' }, matches: true },
  { matcher: 'severity!~"info|none"', labels: { severity: 'none' }, matches: false },
  { matcher: 'severity!~".+"', labels: {}, matches: true },
  { matcher: 'code=~"5.."', labels: { code: '503' }, matches: true },
  { matcher: 'code=~"5.."', labels: { code: '5034' }, matches: false },
  { matcher: 'host=~"(?i)WEB-\\\\d+"', labels: { host: 'web-12' }, matches: true },
  { matcher: 'host=~"web-\\\\d+"', labels: { host: 'WEB-12' }, matches: false },
  { matcher: 'host=~"web\\\\.example"', labels: { host: 'webxexample' }, matches: false },
  { matcher: 'host=~"web.example"', labels: { host: 'webxexample' }, matches: true },
  // Go's dot excludes only \n; (?s) includes it
  { matcher: 'msg=~".*"', labels: { msg: 'a\nb' }, matches: false },
  { matcher: 'msg=~"(?s).*"', labels: { msg: 'a\nb' }, matches: true },
  { matcher: 'msg=~"a.b"', labels: { msg: 'a\rb' }, matches: true },
  { matcher: 'msg=~"."', labels: { msg: '✓' }, matches: true },
  // Go's \s is ASCII; \pL, POSIX classes, \Q…\E, literal braces
  { matcher: 'msg=~"a\\\\sb"', labels: { msg: 'a\u00a0b' }, matches: false },
  { matcher: 'msg=~"a\\\\sb"', labels: { msg: 'a\tb' }, matches: true },
  { matcher: 'msg=~"\\\\pL+"', labels: { msg: 'Ünïcode' }, matches: true },
  { matcher: 'msg=~"[[:alpha:]]+"', labels: { msg: 'abcXYZ' }, matches: true },
  { matcher: 'msg=~"[[:^digit:]]+"', labels: { msg: 'ab1' }, matches: false },
  { matcher: 'msg=~"\\\\Qa.b\\\\E"', labels: { msg: 'axb' }, matches: false },
  { matcher: 'msg=~"\\\\Qa.b\\\\E"', labels: { msg: 'a.b' }, matches: true },
  { matcher: 'msg=~"a{"', labels: { msg: 'a{' }, matches: true },
  { matcher: 'msg=~"a{2}"', labels: { msg: 'aa' }, matches: true },
  { matcher: 'msg=~"[]a]+"', labels: { msg: ']a]' }, matches: true },
  { matcher: 'msg=~"x|^y$"', labels: { msg: 'y' }, matches: true },
  { matcher: 'msg=~"\\\\x41\\\\x{263a}"', labels: { msg: 'A☺' }, matches: true },
  { matcher: 'msg=~"."', labels: { msg: '😀' }, matches: true },
  // quantified groups
  { matcher: 'env=~"(prod|staging)?-eu"', labels: { env: '-eu' }, matches: true },
  { matcher: 'env=~"(prod|staging)?-eu"', labels: { env: 'staging-eu' }, matches: true },
  { matcher: 'env=~"(prod|staging)?-eu"', labels: { env: 'dev-eu' }, matches: false },
  { matcher: 'msg=~"(a|b)+"', labels: { msg: 'abba' }, matches: true },
  { matcher: 'msg=~"(a|b)+"', labels: {}, matches: false },
  { matcher: 'msg=~"(ab){2,3}"', labels: { msg: 'ababab' }, matches: true },
  { matcher: 'msg=~"(ab){2,3}"', labels: { msg: 'ab' }, matches: false },
  { matcher: 'msg=~"(ab){2,3}"', labels: { msg: 'abababab' }, matches: false },
  { matcher: 'msg=~"(?:a+b)*"', labels: { msg: 'aabab' }, matches: true },
  // case folding, also for part of a pattern; Go folds simply (no ß → SS), k ↔ Kelvin sign
  { matcher: 'env=~"(?i)prod"', labels: { env: 'PrOd' }, matches: true },
  { matcher: 'msg=~"(?i:foo)bar"', labels: { msg: 'FOObar' }, matches: true },
  { matcher: 'msg=~"(?i:foo)bar"', labels: { msg: 'FOOBAR' }, matches: false },
  { matcher: 'msg=~"x(?i)y"', labels: { msg: 'xY' }, matches: true },
  { matcher: 'msg=~"x(?i)y"', labels: { msg: 'XY' }, matches: false },
  { matcher: 'msg=~"(?i)k"', labels: { msg: '\u212a' }, matches: true },
  { matcher: 'msg=~"(?i)straße"', labels: { msg: 'STRASSE' }, matches: false },
  // Unicode classes; \d, \w and POSIX classes are ASCII only
  { matcher: 'msg=~"\\\\p{Greek}+"', labels: { msg: 'αβγ' }, matches: true },
  { matcher: 'msg=~"\\\\p{Greek}+"', labels: { msg: 'abc' }, matches: false },
  { matcher: 'msg=~"\\\\pL"', labels: { msg: 'é' }, matches: true },
  { matcher: 'msg=~"\\\\PL"', labels: { msg: 'é' }, matches: false },
  { matcher: 'msg=~"\\\\pN+"', labels: { msg: '٣٤' }, matches: true },
  { matcher: 'msg=~"[[:alpha:]]"', labels: { msg: 'é' }, matches: false },
  { matcher: 'msg=~"\\\\d"', labels: { msg: '٣' }, matches: false },
  { matcher: 'msg=~"\\\\w+"', labels: { msg: 'a_Z9' }, matches: true },
  { matcher: 'msg=~"\\\\w"', labels: { msg: 'é' }, matches: false },
  { matcher: 'msg=~"[\\\\p{Han}\\\\d]+"', labels: { msg: '漢字42' }, matches: true },
  // non-greedy and ungreedy change what a search captures, never whether the anchored pattern matches
  { matcher: 'msg=~"a+?"', labels: { msg: 'aaa' }, matches: true },
  { matcher: 'msg=~".*?x"', labels: { msg: 'abx' }, matches: true },
  { matcher: 'msg=~"(?U)a+"', labels: { msg: 'aa' }, matches: true },
  // \Q…\E quotes metacharacters, groups and quantifiers included
  { matcher: 'msg=~"\\\\Q(a|b)+\\\\E"', labels: { msg: '(a|b)+' }, matches: true },
  { matcher: 'msg=~"\\\\Q(a|b)+\\\\E"', labels: { msg: 'a' }, matches: false },
  // Alertmanager wraps the value as ^(?:value)$ by concatenation, so a value may close the group
  { matcher: 'msg=~"a)|(b"', labels: { msg: 'axyz' }, matches: true },
  { matcher: 'msg=~"a)|(b"', labels: { msg: 'xyzb' }, matches: true },
  { matcher: 'msg=~"a)|(b"', labels: { msg: 'xyz' }, matches: false },
  // named groups in the spelling Go 1.19 knows; Go lets groups share a name
  { matcher: 'msg=~"(?P<env>prod|dev)-eu"', labels: { msg: 'dev-eu' }, matches: true },
  { matcher: 'msg=~"(?P<a>x)(?P<a>y)"', labels: { msg: 'xy' }, matches: true },
  { matcher: 'msg=~"(?P<a>x)(?P<a>y)"', labels: { msg: 'xx' }, matches: false },
  // only real groups lose their names: not in a class, escaped or quoted
  {
    matcher: 'msg=~"[(?P<a>]\\\\(?P<a>x\\\\Q(?P<a>\\\\E(?P<a>y)(?P<a>z)"',
    labels: { msg: '<P<a>x(?P<a>yz' },
    matches: true,
  },
  { matcher: 'msg=~"[[:alpha:](?<a>]"', labels: { msg: '<' }, matches: true },
];

/** Matchers Alertmanager refuses; the reason is ours. */
export const INVALID_MATCHERS: { matcher: string; reason: RegExp }[] = [
  { matcher: 'service', reason: /bad matcher format/ },
  { matcher: '1abc="x"', reason: /bad matcher format/ },
  { matcher: 'service=="x"', reason: /unescaped double quote/ },
  { matcher: 'service="pay', reason: /closing double quote/ },
  { matcher: 'service="a"b"', reason: /unescaped double quote/ },
  { matcher: 'a="1",,b="2"', reason: /bad matcher format/ },
  { matcher: 'severity=~"(critical"', reason: /invalid regular expression "\(critical": missing closing \)$/ },
  { matcher: 'severity=~"crit(?=ical)"', reason: /invalid regular expression/ },
  { matcher: 'severity=~"(a)\\\\1"', reason: /invalid escape sequence: `\\1`/ },
  { matcher: 'severity=~"a**"', reason: /invalid regular expression/ },
  { matcher: 'severity=~"a{1001}"', reason: /invalid repeat count/ },
  { matcher: 'severity=~"\\\\e"', reason: /invalid escape/ },
  { matcher: 'severity=~"\\\\C"', reason: /invalid escape sequence: `\\C`/ },
  { matcher: 'severity=~"\\\\8"', reason: /invalid escape/ },
  { matcher: 'severity=~"x{2}{3}"', reason: /invalid nested repetition operator/ },
  { matcher: 'severity=~"a{2,1}"', reason: /invalid repeat count/ },
  { matcher: 'severity=~"*a"', reason: /missing argument to repetition operator/ },
  { matcher: 'severity=~"(|a)+*"', reason: /invalid nested repetition operator/ },
  { matcher: 'severity=~"[z-a]"', reason: /invalid character class range: `z-a`/ },
  { matcher: 'severity=~"[[:foo:]]"', reason: /invalid character class range/ },
  { matcher: 'severity=~"\\\\p{Klingon}"', reason: /invalid character class range/ },
  { matcher: 'severity=~"[abc"', reason: /missing closing \]: `\[abc`$/ },
  { matcher: 'severity=~"a)"', reason: /unexpected \)/ },
  { matcher: 'severity=~"(?<=x)y"', reason: /invalid regular expression/ },
  { matcher: 'severity=~"(?!x)"', reason: /invalid or unsupported Perl syntax/ },
  // Go 1.22 added this spelling of a named group; Alertmanager 0.25 (Go 1.19) refuses it
  {
    matcher: 'severity=~"(?<level>crit)"',
    reason: /unsupported Perl syntax: `\(\?<` \(a named group is written \(\?P<name>/,
  },
  { matcher: 'severity=~"(?P<a-b>x)"', reason: /invalid named capture: `\(\?P<a-b>`/ },
  { matcher: 'severity=~"(?P<a>x)(?P<a>y)(?P<b-c>z)"', reason: /invalid named capture/ },
];
