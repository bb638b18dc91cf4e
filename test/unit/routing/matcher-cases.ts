/**
 * Matcher semantics as a table: each row is checked against our parser, and — where amtool
 * is installed — against Alertmanager's own (`amtool config routes test`), so the expected
 * column is Alertmanager's behaviour, not ours.
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
];

/** Matchers Alertmanager refuses; the reason is ours. */
export const INVALID_MATCHERS: { matcher: string; reason: RegExp }[] = [
  { matcher: 'service', reason: /bad matcher format/ },
  { matcher: '1abc="x"', reason: /bad matcher format/ },
  { matcher: 'service=="x"', reason: /unescaped double quote/ },
  { matcher: 'service="pay', reason: /closing double quote/ },
  { matcher: 'service="a"b"', reason: /unescaped double quote/ },
  { matcher: 'a="1",,b="2"', reason: /bad matcher format/ },
  { matcher: 'severity=~"(critical"', reason: /invalid regular expression/ },
  { matcher: 'severity=~"crit(?=ical)"', reason: /invalid regular expression/ },
  { matcher: 'severity=~"(a)\\\\1"', reason: /backreference/ },
  { matcher: 'severity=~"a**"', reason: /invalid regular expression/ },
  { matcher: 'severity=~"a{1001}"', reason: /invalid repeat count/ },
  { matcher: 'severity=~"\\\\e"', reason: /invalid escape/ },
];
