//! docs/ARCHITECTURE.md kept true: every `crate::` path in the core's code (not in comments,
//! not in its test modules) names a module the core table lets it import, each one further
//! down the table; every module of the core is in the table; and the core never reaches
//! into the explorer (`tui`).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The core table: each module's name (`store` for `store/`, `case` for `case.rs`), in
/// the table's order, with the modules it may import.
fn table(doc: &str) -> Vec<(String, Vec<String>)> {
    section_table(doc, "## The core\n")
}

/// The table of the section headed `heading`: each module's name (`tui/` and `.rs` left
/// out), in the table's order, with the modules it may import.
fn section_table(doc: &str, heading: &str) -> Vec<(String, Vec<String>)> {
    let section = doc
        .split(heading)
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .unwrap_or_else(|| panic!("a `{}` section", heading.trim()));
    let name = |cell: &str| {
        cell.trim()
            .trim_matches('`')
            .trim_start_matches("tui/")
            .trim_end_matches(".rs")
            .trim_end_matches('/')
            .to_string()
    };
    section
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").collect();
            let imports = cells
                .last()
                .copied()
                .unwrap_or("")
                .split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect();
            (name(cells[0]), imports)
        })
        .collect()
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("read_dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules a file's code names through `crate::`: comments and the test
/// module at the end of the file left out.
fn imports(text: &str) -> Vec<String> {
    paths_after(text, "crate::")
}

/// The names that follow `prefix` in a file's code (`prefix::{a, b::c}` gives both `a` and
/// `b`): comments and the test module at the end of the file left out.
fn paths_after(text: &str, prefix: &str) -> Vec<String> {
    let name = |rest: &str| -> String {
        rest.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut found = Vec::new();
    for line in text.lines() {
        let code = line.trim_start();
        if code.starts_with("#[cfg(test)]") {
            break;
        }
        if code.starts_with("//") {
            continue;
        }
        for (at, _) in code.match_indices(prefix) {
            // `crate::tui::x` is not `tui::x` under another prefix.
            if prefix == "super::" && code[..at].ends_with("super::") {
                continue;
            }
            let rest = &code[at + prefix.len()..];
            match rest.strip_prefix('{') {
                Some(group) => {
                    let group = group.split('}').next().unwrap_or("");
                    found.extend(group.split(',').map(|item| name(item.trim())));
                }
                None => found.push(name(rest)),
            }
        }
    }
    found.retain(|m| !m.is_empty() && m != "self");
    found
}

/// What the explorer's files import of the explorer: (module, file, imported module). A
/// file of a folder (`tui/draw/`, `tui/grid/`) is the folder's module; `tui/mod.rs` may
/// import everything.
fn tui_imports(tui: &Path) -> Vec<(String, String, String)> {
    let mut files = Vec::new();
    sources(tui, &mut files);
    let mut out = Vec::new();
    for file in files {
        let relative = file.strip_prefix(tui).expect("under tui");
        let folder = relative.components().count() > 1;
        let module = if folder {
            relative
                .components()
                .next()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .unwrap_or_default()
        } else {
            relative
                .display()
                .to_string()
                .trim_end_matches(".rs")
                .to_string()
        };
        if module == "mod" {
            continue;
        }
        let text = fs::read_to_string(&file).expect("read");
        let mut named = paths_after(&text, "crate::tui::");
        // `super::` is the explorer from its own files and from a folder's `mod.rs`; from the
        // other files of a folder it is the folder's module itself.
        if !folder || relative.ends_with("mod.rs") {
            named.extend(paths_after(&text, "super::"));
        }
        for imported in named {
            if imported != module {
                out.push((module.clone(), relative.display().to_string(), imported));
            }
        }
    }
    out
}

/// Checks the explorer's files against the explorer's table; the list of what is wrong.
fn tui_violations(doc: &str, tui: &Path) -> Vec<String> {
    let rows = section_table(doc, "## The explorer (`tui/`, feature `tui`)\n");
    let imports = tui_imports(tui)
        .into_iter()
        .map(|(module, file, imported)| (module, format!("tui/{file}"), imported))
        .collect();
    against(&rows, imports, &|file, module| {
        format!("{file}: `{module}` is not in the explorer's table")
    })
}

#[test]
fn the_explorer_imports_only_what_architecture_md_allows() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = fs::read_to_string(root.join("docs/ARCHITECTURE.md")).expect("doc");
    let wrong = tui_violations(&doc, &root.join("src/tui"));
    assert!(
        wrong.is_empty(),
        "docs/ARCHITECTURE.md is not true of the explorer:\n{}",
        wrong.join("\n")
    );
}

/// The explorer's check itself: an import up the table (a circle), and a file it does not
/// list, fail.
#[test]
fn an_import_up_the_explorers_table_fails_the_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = fs::read_to_string(root.join("docs/ARCHITECTURE.md")).expect("doc");
    let tui = tempfile::tempdir().expect("tempdir");
    fs::write(tui.path().join("timeline.rs"), "use super::app::App;\n").expect("write");
    fs::write(tui.path().join("gadget.rs"), "use super::theme;\n").expect("write");
    fs::create_dir(tui.path().join("draw")).expect("mkdir");
    fs::write(
        tui.path().join("draw/x.rs"),
        "use super::{pane, theme};\nuse crate::tui::{app::App, marks};\n",
    )
    .expect("write");
    assert_eq!(
        tui_violations(&doc, tui.path()),
        [
            "tui/draw/x.rs: `draw` imports `marks`, which its row does not list",
            "tui/gadget.rs: `gadget` is not in the explorer's table",
            "tui/timeline.rs: `timeline` imports `app`, which its row does not list",
        ]
    );
}

/// `App` is changed in one file, and holds its parts, not their state.
#[test]
fn app_is_written_in_one_file_with_few_fields() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src/tui"), &mut files);
    for file in &files {
        let text = fs::read_to_string(file).expect("read");
        if !file.ends_with("tui/app.rs") {
            assert!(
                !text.contains("impl App {") && !text.contains("impl App<"),
                "{}: `impl App` outside tui/app.rs",
                file.display()
            );
        }
    }
    let app = fs::read_to_string(root.join("src/tui/app.rs")).expect("read");
    let body = app
        .split("pub struct App {")
        .nth(1)
        .and_then(|rest| rest.split("\n}").next())
        .expect("the struct");
    let fields = body
        .lines()
        .filter(|l| {
            let l = l.trim_start();
            !l.starts_with("//") && l.contains(':')
        })
        .count();
    assert!(fields <= 12, "App has {fields} fields");
}

/// What the core's code imports, by module: (module, file, imported module).
fn core_imports(src: &Path) -> Vec<(String, String, String)> {
    let mut files = Vec::new();
    sources(src, &mut files);
    let mut out = Vec::new();
    for file in files {
        let relative = file.strip_prefix(src).expect("under src");
        let first = relative
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .unwrap_or("");
        let module = first.trim_end_matches(".rs").to_string();
        // The binary and the explorer are not the core.
        if ["tui", "commands", "main", "cli", "lib"].contains(&module.as_str()) {
            continue;
        }
        let text = fs::read_to_string(&file).expect("read");
        for imported in imports(&text) {
            if imported != module {
                out.push((module.clone(), relative.display().to_string(), imported));
            }
        }
    }
    out
}

/// Checks `src` against `doc`; the list of what is wrong.
fn violations(doc: &str, src: &Path) -> Vec<String> {
    let mut reaching = Vec::new();
    let imports = core_imports(src)
        .into_iter()
        .filter(|(_, file, imported)| {
            let into_tui = imported == "tui";
            if into_tui {
                reaching.push(format!(
                    "{file}: the core reaches into the explorer (`crate::tui`)"
                ));
            }
            !into_tui
        })
        .collect();
    let mut wrong = against(&table(doc), imports, &|file, module| {
        format!("{file}: module `{module}` is not in the core table")
    });
    wrong.extend(reaching);
    wrong.sort();
    wrong
}

/// What is wrong of `imports` (module, file, imported) against a table's `rows`: a row
/// that allows an import not further down (or of no row), a module with no row (said by
/// `unlisted(file, module)`), an import its row does not list. Sorted, once each.
fn against(
    rows: &[(String, Vec<String>)],
    imports: Vec<(String, String, String)>,
    unlisted: &dyn Fn(&str, &str) -> String,
) -> Vec<String> {
    let position: BTreeMap<&str, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, (m, _))| (m.as_str(), i))
        .collect();
    let mut wrong = Vec::new();
    for (module, allowed) in rows {
        for a in allowed {
            match position.get(a.as_str()) {
                None => wrong.push(format!("`{module}` may import `{a}`, which has no row")),
                Some(&p) if p <= position[module.as_str()] => wrong.push(format!(
                    "`{module}` may import `{a}`, which is not further down"
                )),
                Some(_) => {}
            }
        }
    }
    for (module, file, imported) in imports {
        match rows.iter().find(|(m, _)| *m == module) {
            None => wrong.push(unlisted(&file, &module)),
            Some((_, allowed)) if !allowed.contains(&imported) => wrong.push(format!(
                "{file}: `{module}` imports `{imported}`, which its row does not list"
            )),
            Some(_) => {}
        }
    }
    wrong.sort();
    wrong.dedup();
    wrong
}

#[test]
fn the_core_imports_only_what_architecture_md_allows() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = fs::read_to_string(root.join("docs/ARCHITECTURE.md")).expect("doc");
    let wrong = violations(&doc, &root.join("src"));
    assert!(
        wrong.is_empty(),
        "docs/ARCHITECTURE.md is not true:\n{}",
        wrong.join("\n")
    );
}

/// The check itself: an import the table forbids, and a module it does not list, fail.
#[test]
fn a_forbidden_import_or_an_unlisted_module_fails_the_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = fs::read_to_string(root.join("docs/ARCHITECTURE.md")).expect("doc");
    let src = tempfile::tempdir().expect("tempdir");
    fs::write(src.path().join("text.rs"), "use crate::store::Store;\n").expect("write");
    fs::write(src.path().join("extra.rs"), "use crate::text;\n").expect("write");
    fs::write(
        src.path().join("event.rs"),
        "// crate::store in a comment is no import\n#[cfg(test)]\nmod tests { use crate::store; }\n",
    )
    .expect("write");
    assert_eq!(
        violations(&doc, src.path()),
        [
            "extra.rs: module `extra` is not in the core table",
            "text.rs: `text` imports `store`, which its row does not list",
        ]
    );
}

/// The functions of `text` longer than `limit` lines: (name, lines). A function starts at
/// its `fn` line and ends at the first `}` at the indentation of that line (rustfmt's
/// layout).
fn long_functions(text: &str, limit: usize) -> Vec<(String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut long = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let code = line.trim_start();
        let indent = line.len() - code.len();
        let code = [
            "pub(crate) ",
            "pub(super) ",
            "pub ",
            "const ",
            "unsafe ",
            "async ",
        ]
        .iter()
        .fold(code, |c, prefix| c.strip_prefix(prefix).unwrap_or(c));
        let Some(rest) = code.strip_prefix("fn ") else {
            continue;
        };
        // A declaration, or a function on one line.
        if line.trim_end().ends_with(';') || line.trim_end().ends_with('}') {
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let close = format!("{}}}", " ".repeat(indent));
        if let Some(end) = lines[i + 1..].iter().position(|l| *l == close) {
            if end + 2 > limit {
                long.push((name, end + 2));
            }
        }
    }
    long
}

/// No function of the product is longer than 100 lines.
#[test]
fn no_function_is_over_100_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    let mut long = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).expect("read");
        for (name, n) in long_functions(&text, 100) {
            long.push(format!("{}: {name} has {n} lines", file.display()));
        }
    }
    assert!(long.is_empty(), "{}", long.join("\n"));
    let sample = "fn a() {\n    x();\n}\n\n    pub fn b() {\n        y();\n    }\n";
    assert_eq!(
        long_functions(sample, 2),
        [("a".to_string(), 3), ("b".to_string(), 3)]
    );
    assert_eq!(long_functions(sample, 3), []);
}
