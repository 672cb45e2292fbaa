//! Who made the call, in SQL: trailscope's principal model and credential classes
//! (docs/DESIGN.md "Principals") written over each engine's `userIdentity`.

use super::{Compiler, SqlError};

impl Compiler<'_> {
    /// The principal model of docs/DESIGN.md "Principals", over userIdentity.
    pub(super) fn principal(&mut self) -> Result<String, SqlError> {
        let p = |c: &mut Self, path: &str| c.path(path);
        let kind = p(self, "userIdentity.type")?;
        let arn = p(self, "userIdentity.arn")?;
        let user = p(self, "userIdentity.userName")?;
        let id = p(self, "userIdentity.principalId")?;
        let invoked = p(self, "userIdentity.invokedBy")?;
        let account = p(self, "userIdentity.accountId")?;
        let behalf = p(self, "userIdentity.onBehalfOf.userId")?;
        let nz = |v: &str| format!("nullif({v}, '')");
        let user_arn = self.regexp(&arn, ":user/(.*)$");
        let role_arn = self.regexp(&arn, ":assumed-role/(.*)$");
        let fed_arn = self.regexp(&arn, ":federated-user/(.*)$");
        let fed_id = self.regexp(&id, "^[^:]*:(.*)$");
        Ok(format!(
            "CASE {kind} WHEN 'Root' THEN 'root' \
             WHEN 'IAMUser' THEN coalesce({}, {user_arn}, {}) \
             WHEN 'AssumedRole' THEN coalesce({role_arn}, {}, {}) \
             WHEN 'FederatedUser' THEN coalesce({fed_arn}, {fed_id}, {}) \
             WHEN 'AWSService' THEN coalesce({}, {}, {}) \
             WHEN 'AWSAccount' THEN coalesce({}, {}, {}) \
             WHEN 'IdentityCenterUser' THEN coalesce({}, {}, {}) \
             ELSE coalesce({}, {}) END",
            nz(&user),
            nz(&id),
            nz(&user),
            nz(&id),
            nz(&user),
            nz(&invoked),
            nz(&account),
            nz(&id),
            nz(&invoked),
            nz(&account),
            nz(&id),
            nz(&behalf),
            nz(&user),
            nz(&id),
            nz(&user),
            nz(&id),
        ))
    }

    /// The first group of `pattern` in `value`, NULL when it does not match.
    pub(super) fn regexp(&self, value: &str, pattern: &str) -> String {
        format!(
            "nullif(regexp_extract({value}, {}, 1), '')",
            self.lit(pattern)
        )
    }

    pub(super) fn credential(&mut self) -> Result<String, SqlError> {
        let console = self.path("sessionCredentialFromConsole")?;
        let name = self.path("eventName")?;
        let key = self.path("userIdentity.accessKeyId")?;
        let kind = self.path("userIdentity.type")?;
        let invoked = self.path("userIdentity.invokedBy")?;
        let identity = self.path_exists("userIdentity")?;
        Ok(format!(
            "CASE WHEN NOT {identity} THEN NULL \
             WHEN lower(coalesce({console}, '')) = 'true' OR {name} = 'ConsoleLogin' THEN 'console' \
             WHEN {key} LIKE 'AKIA%' THEN 'long-term' \
             WHEN {key} LIKE 'ASIA%' THEN 'temporary' \
             WHEN {kind} = 'AWSService' OR {invoked} IS NOT NULL THEN 'service' END"
        ))
    }
}
