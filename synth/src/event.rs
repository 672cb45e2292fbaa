//! One event written as CloudTrail writes it.

use crate::json::JsonOut;
use crate::{time_text, Actor, Call, Rng};

/// Writes one event as CloudTrail does (eventVersion 1.08 key order).
pub fn event_json(call: &Call<'_>, rng: &mut Rng) -> String {
    let mut j = JsonOut::new();
    j.open_root().str("eventVersion", "1.08");
    write_identity(&mut j, call);
    j.str("eventTime", &time_text(call.time))
        .str("eventSource", call.source)
        .str("eventName", call.name)
        .str("awsRegion", call.region)
        .str("sourceIPAddress", call.ip)
        .str("userAgent", call.agent);
    if let Some((code, message)) = &call.error {
        j.str("errorCode", code).str("errorMessage", message);
    }
    j.raw("requestParameters", &call.request)
        .raw("responseElements", &call.response);
    let request_id = rng.uuid();
    let event_id = rng.uuid();
    j.str("requestID", &request_id).str("eventID", &event_id);
    if call.source == "s3.amazonaws.com" {
        // S3 writes a per-request host id: high-entropy, as in real trails.
        j.open("additionalEventData")
            .str("SignatureVersion", "SigV4")
            .str("CipherSuite", "TLS_AES_128_GCM_SHA256")
            .raw("bytesTransferredIn", "0")
            .str("AuthenticationMethod", "AuthHeader")
            .str("x-amz-id-2", &rng.alnum(76))
            .raw("bytesTransferredOut", &rng.below(100_000).to_string())
            .close();
    }
    if let Some(read_only) = call.read_only {
        j.raw("readOnly", if read_only { "true" } else { "false" });
    }
    if !call.resources.is_empty() {
        j.open_array("resources");
        for (kind, arn) in &call.resources {
            j.open_element()
                .str("accountId", call.account)
                .str("type", kind)
                .str("ARN", arn)
                .close();
        }
        j.close_array();
    }
    j.str("eventType", call.event_type)
        .raw(
            "managementEvent",
            if call.management { "true" } else { "false" },
        )
        .str("recipientAccountId", call.account)
        .str(
            "eventCategory",
            if call.management {
                "Management"
            } else {
                "Data"
            },
        );
    if !matches!(call.actor, Actor::Service(_)) {
        j.open("tlsDetails")
            .str("tlsVersion", "TLSv1.3")
            .str("cipherSuite", "TLS_AES_128_GCM_SHA256")
            .str(
                "clientProvidedHostHeader",
                &format!(
                    "{}.{}.amazonaws.com",
                    call.source.split('.').next().unwrap_or("api"),
                    call.region
                ),
            )
            .close();
    }
    // Beside the event's other fields, as CloudTrail writes it.
    if matches!(
        call.actor,
        Actor::IamUser { console: true, .. } | Actor::Role { console: true, .. }
    ) {
        j.str("sessionCredentialFromConsole", "true");
    }
    j.close();
    j.finish()
}

fn write_identity(j: &mut JsonOut, call: &Call<'_>) {
    let account = call.account;
    j.open("userIdentity");
    match call.actor {
        Actor::IamUser { name, key, console } => {
            j.str("type", "IAMUser")
                .str("principalId", &format!("AIDA{}", pseudo_id(name)))
                .str("arn", &format!("arn:aws:iam::{account}:user/{name}"))
                .str("accountId", account)
                .str("accessKeyId", key)
                .str("userName", name);
            if *console {
                j.open("sessionContext")
                    .open("attributes")
                    .str("creationDate", &time_text(call.time - 3_600_000))
                    .str("mfaAuthenticated", "false")
                    .close()
                    .close();
            }
        }
        Actor::Role {
            role,
            session,
            key,
            issuer_principal,
            mfa,
            ..
        } => {
            j.str("type", "AssumedRole")
                .str("principalId", &format!("{issuer_principal}:{session}"))
                .str(
                    "arn",
                    &format!("arn:aws:sts::{account}:assumed-role/{role}/{session}"),
                )
                .str("accountId", account)
                .str("accessKeyId", key)
                .open("sessionContext")
                .open("sessionIssuer")
                .str("type", "Role")
                .str("principalId", issuer_principal)
                .str("arn", &format!("arn:aws:iam::{account}:role/{role}"))
                .str("accountId", account)
                .str("userName", role)
                .close()
                .open("attributes")
                .str(
                    "creationDate",
                    &time_text(call.session_created.unwrap_or(call.time - 600_000)),
                )
                .str("mfaAuthenticated", if *mfa { "true" } else { "false" })
                .close()
                .close();
        }
        Actor::Root { console } => {
            j.str("type", "Root")
                .str("principalId", account)
                .str("arn", &format!("arn:aws:iam::{account}:root"))
                .str("accountId", account);
            if *console {
                j.open("sessionContext")
                    .open("attributes")
                    .str("creationDate", &time_text(call.time - 60_000))
                    .str("mfaAuthenticated", "true")
                    .close()
                    .close();
            }
        }
        Actor::Service(service) => {
            j.str("type", "AWSService").str("invokedBy", service);
        }
        Actor::Federated { name, key } => {
            j.str("type", "FederatedUser")
                .str("principalId", &format!("{account}:{name}"))
                .str(
                    "arn",
                    &format!("arn:aws:sts::{account}:federated-user/{name}"),
                )
                .str("accountId", account)
                .str("accessKeyId", key);
        }
        Actor::OtherAccount { account: other } => {
            j.str("type", "AWSAccount")
                .str("principalId", &format!("AIDA{}", pseudo_id(other)))
                .str("accountId", other);
        }
        Actor::IdentityCenter { user_id, user_name } => {
            j.str("type", "IdentityCenterUser")
                .str("accountId", account)
                .open("onBehalfOf")
                .str("userId", user_id)
                .str(
                    "identityStoreArn",
                    "arn:aws:identitystore::111111111111:identitystore/d-9067642ac7",
                )
                .close()
                .str("credentialId", &pseudo_id(user_name));
        }
        Actor::Saml { user, key } => {
            j.str("type", "SAMLUser")
                .str("principalId", &format!("SAMPLE_NAME_QUALIFIER:{user}"))
                .str("userName", user)
                .str("identityProvider", "bdGOnTesti4+ErBjyKqXXXXXXXX=");
            // The sign-in itself carries no key; later calls made as this user do.
            if !key.is_empty() {
                j.str("accessKeyId", key);
            }
        }
        Actor::WebIdentity { subject, key } => {
            j.str("type", "WebIdentityUser")
                .str("principalId", &format!("accounts.google.com:{subject}"))
                .str("userName", subject)
                .str("identityProvider", "accounts.google.com")
                .str("accessKeyId", key);
        }
    }
    j.close();
}

/// A stable 17-character upper-case id derived from a name.
pub fn pseudo_id(name: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    Rng::new(h).upper(17)
}
