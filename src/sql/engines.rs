//! What each engine's tables look like: Athena's standard CloudTrail table and CloudTrail
//! Lake's columns, Athena's CREATE TABLE and UNLOAD, and the PySpark program.

use super::{identifier, json_path, literal, SqlError};

/// Athena's standard CloudTrail table: lowercase columns, `useridentity` and its parts
/// structs, the parameters JSON strings.
pub(super) fn athena_path(path: &str) -> Result<String, SqlError> {
    let (head, rest) = path.split_once('.').unwrap_or((path, ""));
    let head = head.to_ascii_lowercase();
    let json_columns = [
        "requestparameters",
        "responseelements",
        "additionaleventdata",
        "serviceeventdetails",
    ];
    Ok(match head.as_str() {
        h if json_columns.contains(&h) && !rest.is_empty() => {
            format!("json_extract_scalar({h}, {})", literal(&json_path(rest)))
        }
        "useridentity" | "tlsdetails" if !rest.is_empty() => {
            let fields: Vec<String> = rest.split('.').map(|f| f.to_ascii_lowercase()).collect();
            for f in &fields {
                if !f.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    return Err(SqlError(format!(
                        "`{path}` is not a column of the Athena table"
                    )));
                }
            }
            format!("{head}.{}", fields.join("."))
        }
        h if rest.is_empty() && h.chars().all(|c| c.is_ascii_alphanumeric()) => match h {
            "readonly" => "CAST(readonly AS VARCHAR)".into(),
            h => h.to_string(),
        },
        _ => {
            return Err(SqlError(format!(
                "`{path}` is not a column of the Athena table"
            )))
        }
    })
}

/// CloudTrail Lake: camelCase columns, `userIdentity` a struct, parameters maps.
pub(super) fn lake_path(path: &str) -> Result<String, SqlError> {
    let (head, rest) = path.split_once('.').unwrap_or((path, ""));
    Ok(match head {
        "requestParameters"
        | "responseElements"
        | "additionalEventData"
        | "serviceEventDetails"
            if !rest.is_empty() =>
        {
            // A map of strings: a nested value is JSON text.
            match rest.split_once('.') {
                None => format!("element_at({head}, {})", literal(rest)),
                Some((key, inner)) => format!(
                    "json_extract_scalar(element_at({head}, {}), {})",
                    literal(key),
                    literal(&json_path(inner))
                ),
            }
        }
        "userIdentity" | "tlsDetails" if !rest.is_empty() => {
            for f in rest.split('.') {
                if !f.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    return Err(SqlError(format!(
                        "`{path}` is not a column of CloudTrail Lake"
                    )));
                }
            }
            format!("{head}.{rest}")
        }
        h if rest.is_empty() && h.chars().all(|c| c.is_ascii_alphanumeric()) => match h {
            "readOnly" => "CAST(readOnly AS VARCHAR)".into(),
            // A timestamp: compared as text the way CloudTrail writes it.
            "eventTime" => "date_format(eventTime, '%Y-%m-%dT%H:%i:%sZ')".into(),
            h => h.to_string(),
        },
        _ => {
            return Err(SqlError(format!(
                "`{path}` is not a column of CloudTrail Lake"
            )))
        }
    })
}

/// What a Lake query selects: the event's columns, its structs, maps and arrays as JSON
/// text (`get-query-results` gives every value as a string, and JSON is the one rendering
/// of a struct that reads back exactly), under their CloudTrail names.
pub(super) const LAKE_COLUMNS: &str = "eventVersion, \
json_format(CAST(userIdentity AS JSON)) AS userIdentity, eventTime, eventSource, eventName, \
awsRegion, sourceIPAddress, userAgent, errorCode, errorMessage, \
json_format(CAST(requestParameters AS JSON)) AS requestParameters, \
json_format(CAST(responseElements AS JSON)) AS responseElements, \
json_format(CAST(additionalEventData AS JSON)) AS additionalEventData, \
requestID, eventID, readOnly, json_format(CAST(resources AS JSON)) AS resources, eventType, \
apiVersion, managementEvent, recipientAccountId, sharedEventID, vpcEndpointId, \
json_format(CAST(serviceEventDetails AS JSON)) AS serviceEventDetails, eventCategory, \
sessionCredentialFromConsole, json_format(CAST(tlsDetails AS JSON)) AS tlsDetails";

/// Athena's CREATE TABLE for the standard CloudTrail table (AWS's Athena guide), with
/// partition projection on `timestamp` (`yyyy/MM/dd`) so a time-bounded query reads only
/// its days.
/// A location holding a quote or a backslash is refused: Hive's DDL reads a backslash as
/// an escape inside its literals, so no quoting writes it faithfully (and no S3 key prefix
/// needs one).
pub fn athena_ddl(table: &str, location: &str) -> Result<String, SqlError> {
    if location.contains(['\'', '\\']) {
        return Err(SqlError(format!(
            "--location `{location}`: Athena's DDL cannot hold a ' or a \\ in a location"
        )));
    }
    let location = location.trim_end_matches('/');
    Ok(format!(
        r#"CREATE EXTERNAL TABLE {table} (
    eventversion STRING,
    useridentity STRUCT<
        type: STRING, principalid: STRING, arn: STRING, accountid: STRING,
        invokedby: STRING, accesskeyid: STRING, username: STRING,
        onbehalfof: STRUCT<userid: STRING, identitystorearn: STRING>,
        sessioncontext: STRUCT<
            attributes: STRUCT<mfaauthenticated: STRING, creationdate: STRING>,
            sessionissuer: STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, username: STRING>,
            ec2roledelivery: STRING, webidfederationdata: STRUCT<federatedprovider: STRING, attributes: map<string,string>>,
            sourceidentity: STRING>>,
    eventtime STRING,
    eventsource STRING,
    eventname STRING,
    awsregion STRING,
    sourceipaddress STRING,
    useragent STRING,
    errorcode STRING,
    errormessage STRING,
    requestparameters STRING,
    responseelements STRING,
    additionaleventdata STRING,
    requestid STRING,
    eventid STRING,
    readonly STRING,
    resources ARRAY<STRUCT<arn: STRING, accountid: STRING, type: STRING>>,
    eventtype STRING,
    apiversion STRING,
    recipientaccountid STRING,
    serviceeventdetails STRING,
    sharedeventid STRING,
    vpcendpointid STRING,
    eventcategory STRING,
    sessioncredentialfromconsole STRING,
    tlsdetails STRUCT<tlsversion: STRING, ciphersuite: STRING, clientprovidedhostheader: STRING>
)
PARTITIONED BY (region STRING, `timestamp` STRING)
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION {location}
TBLPROPERTIES (
    'projection.enabled' = 'true',
    'projection.region.type' = 'enum',
    'projection.region.values' = 'us-east-1,us-east-2,us-west-1,us-west-2,eu-west-1,eu-west-2,eu-west-3,eu-central-1,eu-north-1,ap-south-1,ap-northeast-1,ap-northeast-2,ap-southeast-1,ap-southeast-2,ca-central-1,sa-east-1',
    'projection.timestamp.type' = 'date',
    'projection.timestamp.format' = 'yyyy/MM/dd',
    'projection.timestamp.range' = '2013/01/01,NOW',
    'projection.timestamp.interval' = '1',
    'projection.timestamp.interval.unit' = 'DAYS',
    'storage.location.template' = {template}
);
"#,
        table = identifier(table),
        location = literal(&format!("{location}/")),
        template = literal(&format!("{location}/${{region}}/${{timestamp}}")),
    ))
}

/// A PySpark program that reads the files (each event kept as a JSON string, so
/// `requestParameters` keys that differ only in case never collide), runs `query`, and
/// writes the matching events as JSON Lines.
pub fn spark_script(query: &str) -> String {
    format!(
        r#"#!/usr/bin/env python3
"""Written by `trailscope sql --dialect spark --script`: runs the query over the CloudTrail
files at the location it names and writes the matching events, one JSON per line, to the
folder given as the first argument (default: trailscope-result). Then: trailscope FOLDER"""
import sys
from pyspark.sql import SparkSession

out = sys.argv[1] if len(sys.argv) > 1 else "trailscope-result"
spark = SparkSession.builder.appName("trailscope").getOrCreate()
spark.conf.set("spark.sql.caseSensitive", "true")
query = {query}
spark.sql(query).selectExpr("e AS value").write.mode("overwrite").text(out)
# Spark's empty completion marker is no input trailscope should read (a local folder).
import os
if os.path.exists(os.path.join(out, "_SUCCESS")):
    os.remove(os.path.join(out, "_SUCCESS"))
"#,
        // A JSON string is a Python string literal too.
        query = serde_json::Value::String(query.to_string())
    )
}

/// Athena's UNLOAD of `query` to `prefix` as gzipped JSON: the files trailscope reads back.
pub fn athena_unload(query: &str, prefix: &str) -> String {
    format!(
        "UNLOAD ({query})\nTO {}\nWITH (format = 'JSON', compression = 'GZIP')",
        literal(prefix)
    )
}

/// Spark's JSONPath: `$.key` for plain keys, `$['key']` otherwise.
pub(super) fn spark_json_path(path: &str) -> Result<String, SqlError> {
    let mut out = String::from("$");
    for key in path.split('.') {
        if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            out.push('.');
            out.push_str(key);
        } else if key.contains(['\'', ']', '\\']) {
            // Spark's JSON paths have no way to write these inside `['…']`: a key without
            // them would be another key.
            return Err(SqlError(format!(
                "`{path}`: Spark's JSON paths cannot name a key holding ', ] or \\"
            )));
        } else {
            out.push_str(&format!("['{key}']"));
        }
    }
    Ok(out)
}
