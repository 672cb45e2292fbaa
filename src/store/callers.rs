//! The caller's tool and system (`tool:`, `os:`): each distinct userAgent classified once
//! ([`crate::schema::tools`]), then one pass over the rows for what the event itself says —
//! a console session's calls are `console`, an AWS service's own `aws-service`, AWS's
//! `aws-internal` — after the load, so parsing an event does none of it.

use super::{Interner, Store};
use crate::event::Credential;
use crate::schema::{tools, Col};

/// Per agent id: the tool the table names (0: none, or `other`), the tool as classified
/// (`other` kept), and the system.
struct Class {
    known: u32,
    tool: u32,
    os: u32,
}

impl Store {
    /// Fills the `tool` and `os` columns.
    pub(crate) fn classify_callers(&mut self) {
        let mut tool_names = Interner::default();
        let mut os_names = Interner::default();
        let classes: Vec<Class> = self
            .strings(Col::Agent)
            .values()
            .map(|(id, agent)| {
                if id == 0 || agent.is_empty() {
                    return Class {
                        known: 0,
                        tool: 0,
                        os: 0,
                    };
                }
                let (name, os) = tools::classify(agent);
                let tool = tool_names.intern(name);
                Class {
                    known: if name == tools::OTHER { 0 } else { tool },
                    tool,
                    os: os.map_or(0, |os| os_names.intern(os)),
                }
            })
            .collect();
        // Interned when first used, so a value no row has is never listed.
        let mut named = [("console", 0u32), ("aws-service", 0), ("aws-internal", 0)];
        let mut name = |which: usize| {
            let (text, id) = &mut named[which];
            if *id == 0 {
                *id = tool_names.intern(text);
            }
            *id
        };
        let internal_ip = self.strings(Col::Ip).id_of("AWS Internal");
        let (agents, ips) = (self.ids(Col::Agent), self.ids(Col::Ip));
        let none = Class {
            known: 0,
            tool: 0,
            os: 0,
        };
        let (mut tool_ids, mut os_ids) = (
            Vec::with_capacity(self.len()),
            Vec::with_capacity(self.len()),
        );
        for row in 0..self.len() {
            let class = agents
                .get(row)
                .and_then(|&a| classes.get(a as usize))
                .unwrap_or(&none);
            let tool = match self.credential(row) {
                Credential::Console => name(0),
                _ if class.known != 0 => class.known,
                Credential::AwsService => name(1),
                _ if internal_ip.is_some() && ips.get(row).copied() == internal_ip => name(2),
                _ => class.tool,
            };
            tool_ids.push(tool);
            os_ids.push(class.os);
        }
        for (col, strings, ids) in [
            (Col::Tool, tool_names, tool_ids),
            (Col::Os, os_names, os_ids),
        ] {
            self.cols.strings[col as usize] = strings;
            self.cols.ids[col as usize] = ids;
        }
    }
}
