//! Parser tests: every operator's tree, and the column of every error message.

use super::*;

fn named(name: &str) -> Field {
    Field::from_name(name).expect("a field")
}

fn glob(field: Field, pattern: &str) -> Expr {
    Expr::Term {
        field,
        matcher: Matcher::Glob(Glob::new(pattern)),
    }
}

#[test]
fn empty_is_all() {
    assert_eq!(parse(""), Ok(Expr::All));
    assert_eq!(parse("   "), Ok(Expr::All));
}

#[test]
fn terms_and_by_juxtaposition() {
    assert_eq!(
        parse("principal:alice -error:*"),
        Ok(Expr::And(vec![
            glob(named("principal"), "alice"),
            Expr::Not(Box::new(glob(named("error"), "*"))),
        ]))
    );
}

#[test]
fn or_binds_looser_than_and() {
    assert_eq!(
        parse("a b or c"),
        Ok(Expr::Or(vec![
            Expr::And(vec![Expr::Word("a".into()), Expr::Word("b".into())]),
            Expr::Word("c".into()),
        ]))
    );
    assert_eq!(parse("a OR b"), parse("a or b"));
}

#[test]
fn parentheses_group() {
    assert_eq!(
        parse("(source:iam or source:sts) not readonly:true"),
        Ok(Expr::And(vec![
            Expr::Or(vec![
                glob(named("source"), "iam"),
                glob(named("source"), "sts")
            ]),
            Expr::Not(Box::new(Expr::Term {
                field: named("readonly"),
                matcher: Matcher::Bool(true)
            })),
        ]))
    );
}

#[test]
fn fuzzy_field_and_bare_word_and_phrase() {
    assert_eq!(
        parse("name~crtacc"),
        Ok(Expr::Term {
            field: named("name"),
            matcher: Matcher::Fuzzy("crtacc".into())
        })
    );
    assert_eq!(parse("crtacckey"), Ok(Expr::Word("crtacckey".into())));
    assert_eq!(
        parse("\"Administrator Access\""),
        Ok(Expr::Phrase("Administrator Access".into()))
    );
    assert_eq!(
        parse(r#""say \"hi\"""#),
        Ok(Expr::Phrase("say \"hi\"".into()))
    );
}

#[test]
fn quoted_values_keep_spaces() {
    assert_eq!(
        parse("agent:\"aws-cli/2* Python\""),
        Ok(glob(named("agent"), "aws-cli/2* Python"))
    );
}

#[test]
fn dotted_paths_are_fields() {
    assert_eq!(
        parse("requestParameters.bucketName:prod-*"),
        Ok(glob(named("requestParameters.bucketName"), "prod-*"))
    );
}

#[test]
fn cidr_times_and_booleans() {
    assert_eq!(
        parse("ip:10.0.0.0/8"),
        Ok(Expr::Term {
            field: named("ip"),
            matcher: Matcher::Cidr(Cidr {
                network: "10.0.0.0".parse().expect("ip"),
                prefix: 8
            })
        })
    );
    assert_eq!(
        parse("after:2024-05-03"),
        Ok(Expr::Term {
            field: named("after"),
            matcher: Matcher::Time(TimeBound::At(1_714_694_400_000))
        })
    );
    assert_eq!(
        parse("before:2024-05-03T14:02:11Z"),
        Ok(Expr::Term {
            field: named("before"),
            matcher: Matcher::Time(TimeBound::At(1_714_744_931_000))
        })
    );
    assert_eq!(
        parse("after:-2h"),
        Ok(Expr::Term {
            field: named("after"),
            matcher: Matcher::Time(TimeBound::BeforeNewest(7_200_000))
        })
    );
    assert_eq!(
        parse("readonly:FALSE"),
        Ok(Expr::Term {
            field: named("readonly"),
            matcher: Matcher::Bool(false)
        })
    );
}

#[test]
fn field_names_are_case_insensitive() {
    assert_eq!(parse("Name:x"), parse("name:x"));
}

fn error(text: &str) -> QueryError {
    match parse(text) {
        Err(err) => err,
        Ok(expr) => panic!("`{text}` parsed as {expr:?}"),
    }
}

#[test]
fn every_error_names_its_column() {
    let cases: &[(&str, usize, &str)] = &[
        ("name:x colour:red", 8, "unknown field `colour`; known fields: name, source, region, account, ip, agent, error, msg, type, principal, identity, arn, key, id, request, readonly, category, eventtype, resource, credential, time, after, before, dup, rule, detection, level, tactic, technique, origin, new, mark, note, sharedeventid, vpcendpoint, sourceidentity, insight, tool, os, iptype, asn, org, country, city, travel, bucket, object, or a dotted JSON path"),
        ("name:", 6, "expected a value after `name:`"),
        ("region~", 8, "expected a value after `region~`"),
        ("a \"unclosed", 3, "unclosed quote: expected `\"`"),
        ("agent:\"aws", 7, "unclosed quote: expected `\"`"),
        ("(a b", 5, "expected `)` to close the `(` at column 1"),
        ("a b)", 4, "unexpected `)` with no `(` before it"),
        ("()", 2, "expected a term inside `( )`"),
        ("or a", 1, "expected a term before `or`"),
        ("a or", 3, "expected a term after `or`"),
        ("a -", 3, "expected a term after negation"),
        ("not", 1, "expected a term after negation"),
        ("ip:10.0.0.0/33", 4, "`10.0.0.0/33`: a CIDR prefix is 0 to 32"),
        ("ip:999.1.1.1", 4, "`999.1.1.1` is not an IPv4 address: 999 is over 255"),
        ("name:x 10.0.0.256", 8, "`10.0.0.256` is not an IPv4 address: 256 is over 255"),
        ("2001:db8::1::2", 1, "`2001:db8::1::2` is not an IPv6 address"),
        ("ip:10.0.0.1/x", 4, "`10.0.0.1/x`: a CIDR prefix is 0 to 32"),
        ("and a", 1, "expected a term before `and`"),
        ("a AND", 3, "expected a term after `and`"),
        ("a && or b", 3, "expected a term after `and`"),
        ("after:yesterday", 7, "expected a time (2024-05-03, 2024-05-03T14:02:11Z or -2h), found `yesterday`"),
        ("after:-2562047788015h", 7, "expected a time (2024-05-03, 2024-05-03T14:02:11Z or -2h), found `-2562047788015h`"),
        ("before:-2x", 8, "expected a time (2024-05-03, 2024-05-03T14:02:11Z or -2h), found `-2x`"),
        ("readonly:maybe", 10, "expected true or false, found `maybe`"),
        ("x after~2024", 3, "`after` takes `:`, not `~`"),
        (":value", 1, "expected a field name before `:`"),
        ("ab\"c", 3, "a quote inside a word: quote the whole value, as field:\"a b\""),
    ];
    let near = error("evntName:x");
    assert!(
        near.message
            .starts_with("unknown field `evntName`; did you mean `eventName`? known fields: name,"),
        "{}",
        near.message
    );
    for (text, column, message) in cases {
        let err = error(text);
        assert_eq!(
            (err.column, err.message.as_str()),
            (*column, *message),
            "for `{text}`"
        );
    }
}

#[test]
fn error_display_has_column() {
    assert_eq!(
        error("name:").to_string(),
        "column 6: expected a value after `name:`"
    );
}

#[test]
fn terms_quote_what_needs_it() {
    assert_eq!(term_text("ip", "1.2.3.4"), "ip:1.2.3.4");
    assert_eq!(
        term_text("agent", "aws cli \"x\""),
        "agent:\"aws cli \\\"x\\\"\""
    );
}

#[test]
fn a_star_in_a_value_can_be_matched_literally() {
    let text = term_text("requestParameters.bucketName", "*");
    assert_eq!(text, "requestParameters.bucketName:\"\\\\*\"");
    let Ok(Expr::Term {
        matcher: Matcher::Glob(glob),
        ..
    }) = parse(&text)
    else {
        panic!("a glob term");
    };
    assert!(glob.matches("*"));
    assert!(!glob.matches("logs"));
    let quoted = term_text("agent", "a *b\\c");
    let Ok(Expr::Term {
        matcher: Matcher::Glob(glob),
        ..
    }) = parse(&quoted)
    else {
        panic!("a glob term");
    };
    assert!(glob.matches("a *b\\c"));
    assert!(!glob.matches("a xb\\c"));
    assert!(Glob::new("a*c").matches("abc"));
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let parens = format!("{}a{}", "(".repeat(10_000), ")".repeat(10_000));
    let err = error(&parens);
    assert_eq!(
        (err.column, err.message.as_str()),
        (101, "parentheses and negations nested deeper than 100")
    );
    let negations = format!("{}a", "-".repeat(20_000));
    assert_eq!(error(&negations).column, 101);
    let fine = format!("{}a{}", "(".repeat(50), ")".repeat(50));
    assert!(parse(&fine).is_ok());
}

#[test]
fn and_joins_as_juxtaposition_does() {
    for text in ["name:a and ip:b", "name:a AND ip:b", "name:a && ip:b"] {
        assert_eq!(parse(text), parse("name:a ip:b"), "{text}");
    }
}

#[test]
fn cloudtrail_names_are_the_short_fields() {
    for (long, short) in [
        ("eventName:x", "name:x"),
        ("eventSource:x", "source:x"),
        ("errorCode:x", "error:x"),
        ("errorMessage:x", "msg:x"),
        ("sourceIPAddress:x", "ip:x"),
        ("userAgent:x", "agent:x"),
        ("awsRegion:x", "region:x"),
        ("recipientAccountId:x", "account:x"),
        ("eventType:x", "eventtype:x"),
        ("eventCategory:x", "category:x"),
        ("readOnly:true", "readonly:true"),
        ("requestID:x", "request:x"),
        ("eventID:x", "id:x"),
        ("EVENTNAME:x", "name:x"),
    ] {
        assert_eq!(parse(long), parse(short), "{long}");
    }
}

#[test]
fn pasted_values_search_the_fields_they_live_in() {
    let cases = [
        ("185.220.101.47", "ip:185.220.101.47"),
        ("010.0.0.1", "ip:010.0.0.1"),
        ("10.0.0.0/8", "ip:10.0.0.0/8"),
        ("2001:db8:1f:0:0:0:0:2a", "ip:2001:db8:1f::2a"),
        ("AKIAQWX4CEJ7DPGDVQ5Z", "key:AKIAQWX4CEJ7DPGDVQ5Z"),
        ("444455556666", "account:444455556666"),
        ("alice@example.com", "identity:alice@example.com"),
        (
            "arn:aws:iam::111122223333:user/ci-deploy",
            "arn:arn:aws:iam::111122223333:user/ci-deploy or resource:arn:aws:iam::111122223333:user/ci-deploy",
        ),
    ];
    for (pasted, meant) in cases {
        assert_eq!(parse(pasted), parse(meant), "{pasted}");
        let (_, readings) = super::parse_explained(pasted).expect("parses");
        assert_eq!(readings.len(), 1, "{pasted}");
        assert!(
            readings[0].starts_with(&format!("{pasted} searched as ")),
            "{readings:?}"
        );
    }
    // Every spelling of an IPv6 address is the same address.
    assert_eq!(
        parse("ip:2001:db8:1f:0:0:0:0:2a"),
        parse("ip:2001:DB8:1F::2A")
    );
    // A word that is none of those stays an eventName word.
    assert_eq!(parse("ci-deploy"), Ok(Expr::Word("ci-deploy".into())));
}

#[test]
fn times_as_people_type_them() {
    use super::{parse_time_bound, TimeBound};
    let at = |text: &str| match parse_time_bound(text) {
        Some(TimeBound::At(t)) => Some(t),
        _ => None,
    };
    // 2024-05-02T14:05:00Z
    let t = 1_714_658_700_000;
    assert_eq!(at("2024-05-02 14:05"), Some(t));
    assert_eq!(at("2024-05-02T14:05:00.000Z"), Some(t));
    assert_eq!(at("1714658700"), Some(t));
    assert_eq!(at("1714658700000"), Some(t));
    // The form the timeline prints, unquoted, is one value.
    assert_eq!(
        parse("after:2024-05-02 14:05"),
        parse("after:\"2024-05-02 14:05\"")
    );
    assert_eq!(
        parse("after:2024-05-02 14:05:00 name:x"),
        parse("after:\"2024-05-02 14:05:00\" name:x")
    );
    assert_eq!(
        crate::event::parse_time("2025-01-21 17:49:47.000000000"),
        crate::event::parse_time("2025-01-21T17:49:47Z")
    );
}
