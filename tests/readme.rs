//! Every `$ trailscope …` example in the README prints exactly what the README shows under it.

use std::path::Path;

/// Splits a shell command line: words, with '…' and "…" quoting.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    let mut any = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                any = true;
            }
            (None, c) if c.is_whitespace() => {
                if any || !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            (None, c) => word.push(c),
        }
    }
    if any || !word.is_empty() {
        out.push(word);
    }
    out
}

#[test]
fn the_readme_examples_print_what_they_show() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README");
    let mut checked = 0;
    for block in readme.split("```sh\n").skip(1) {
        let block = block.split("```").next().unwrap_or("");
        if !block.starts_with("$ ") {
            continue;
        }
        for example in block.split("$ trailscope ").skip(1) {
            let (command, shown) = example.split_once('\n').expect("a command line");
            // `| head -N`: the first N lines.
            let (command, lines) = match command.split_once(" | head -") {
                Some((command, n)) => (command, n.trim().parse::<usize>().ok()),
                None => (command, None),
            };
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_trailscope"))
                .args(words(command))
                .output()
                .expect("run trailscope");
            assert_eq!(out.status.code(), Some(0), "trailscope {command}");
            let stdout = String::from_utf8_lossy(&out.stdout);
            let printed: String = match lines {
                Some(n) => stdout.split_inclusive('\n').take(n).collect(),
                None => stdout.into_owned(),
            };
            assert_eq!(printed, shown, "trailscope {command}");
            checked += 1;
        }
    }
    // The two detect examples and the three of "Following an identity".
    assert_eq!(checked, 5);
}

#[test]
fn words_split_as_a_shell_does() {
    assert_eq!(
        words("query -w 'a b' -o \"x y\" ''"),
        ["query", "-w", "a b", "-o", "x y", ""]
    );
}
