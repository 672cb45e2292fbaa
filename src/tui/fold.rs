//! Folding the detail pane's JSON: which lines open an object or an array, where each
//! closes, and which lines the folded ones leave shown. A fold is kept by the node's path
//! and depth, so `responseElements` folded stays folded from event to event.

use std::collections::HashSet;

use super::pretty::{Line, Token};

/// Folding keys of the detail pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fold {
    /// `h`, `zc`: the node at the cursor (or around it).
    Close,
    /// `l`, `zo`: the folded node at the cursor.
    Open,
    /// `zM`: every node below the top.
    CloseAll,
    /// `zR`: none.
    OpenAll,
}

/// A node: its path and depth (the same node in every event).
pub type Node = (String, usize);

/// The node a line opens or sits at.
pub fn node(line: &Line) -> Node {
    (line.path.clone(), line.depth)
}

fn opens(line: &Line) -> bool {
    line.pieces.last().is_some_and(|(token, text)| {
        *token == Token::Punct && (text.ends_with('{') || text.ends_with('['))
    })
}

fn closes_a_node(line: &Line) -> bool {
    line.pieces.first().is_some_and(|(token, text)| {
        *token == Token::Punct && (text.starts_with('}') || text.starts_with(']'))
    })
}

/// For each line that opens an object or an array, the line that closes it.
pub fn closes(lines: &[Line]) -> Vec<Option<usize>> {
    let mut out = vec![None; lines.len()];
    let mut open: Vec<usize> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if closes_a_node(line) {
            if let Some(o) = open.pop() {
                out[o] = Some(i);
            }
        }
        if opens(line) {
            open.push(i);
        }
    }
    out
}

/// The lines shown, in order (indices into `lines`): a folded node's line stands for its
/// whole node. The outermost object never folds.
pub fn shown(lines: &[Line], closes: &[Option<usize>], folded: &HashSet<Node>) -> Vec<usize> {
    let mut out = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        out.push(i);
        i = match closes.get(i).copied().flatten() {
            Some(close) if i > 0 && folded.contains(&node(&lines[i])) => close + 1,
            _ => i + 1,
        };
    }
    out
}

/// The line opening the innermost node that holds line `at` (not the line itself).
pub fn enclosing(closes: &[Option<usize>], at: usize) -> Option<usize> {
    (0..at)
        .rev()
        .find(|&j| closes[j].is_some_and(|close| close >= at))
}

/// What a folded line adds: how many lines it stands for, and its closing text.
pub fn folded_tail(lines: &[Line], closes: &[Option<usize>], at: usize) -> Option<(usize, String)> {
    let close = closes.get(at).copied().flatten()?;
    let text = lines[close]
        .pieces
        .iter()
        .map(|(_, t)| t.as_str())
        .collect::<String>();
    Some((close - at - 1, text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::pretty::pretty;

    const EVENT: &str = r#"{"eventName":"PutObject","requestParameters":{"bucketName":"b","key":"k"},"resources":[{"ARN":"arn:aws:s3:::b"}],"responseElements":null}"#;

    fn texts(lines: &[Line], shown: &[usize]) -> Vec<String> {
        shown
            .iter()
            .map(|&i| lines[i].pieces.iter().map(|(_, t)| t.as_str()).collect())
            .collect()
    }

    #[test]
    fn nodes_fold_to_their_line() {
        let lines = pretty(EVENT, true);
        let closes = closes(&lines);
        let mut folded = HashSet::new();
        assert_eq!(shown(&lines, &closes, &folded).len(), lines.len());
        folded.insert(("requestParameters".to_string(), 1));
        folded.insert(("resources".to_string(), 1));
        let shown = shown(&lines, &closes, &folded);
        assert_eq!(
            texts(&lines, &shown),
            [
                "{",
                "\"eventName\": \"PutObject\",",
                "\"requestParameters\": {",
                "\"resources\": [",
                "\"responseElements\": null",
                "}"
            ]
        );
        assert_eq!(folded_tail(&lines, &closes, 2), Some((2, "},".to_string())));
        // The key line is inside requestParameters; the ARN inside resources' object.
        assert_eq!(enclosing(&closes, 3), Some(2));
        assert_eq!(enclosing(&closes, 8), Some(7));
        assert_eq!(enclosing(&closes, 2), Some(0));
    }
}
