-- The standard CloudTrail table of AWS's Athena guide, built in DuckDB from one JSON event
-- per row (table `events`, column `e`): lowercase columns, `useridentity` a struct, the
-- parameters JSON strings, `timestamp` the 'yyyy/MM/dd' partition. The Athena dialect's SQL,
-- transpiled by sqlglot from Trino to DuckDB, runs over it.
CREATE TABLE cloudtrail_logs AS
SELECT
    json_extract_string(e, '$.eventVersion') AS eventversion,
    CASE WHEN json_type(json_extract(e, '$.userIdentity')) = 'OBJECT' THEN struct_pack(
        type := json_extract_string(e, '$.userIdentity.type'),
        principalid := json_extract_string(e, '$.userIdentity.principalId'),
        arn := json_extract_string(e, '$.userIdentity.arn'),
        accountid := json_extract_string(e, '$.userIdentity.accountId'),
        invokedby := json_extract_string(e, '$.userIdentity.invokedBy'),
        accesskeyid := json_extract_string(e, '$.userIdentity.accessKeyId'),
        username := json_extract_string(e, '$.userIdentity.userName'),
        onbehalfof := struct_pack(
            userid := json_extract_string(e, '$.userIdentity.onBehalfOf.userId'),
            identitystorearn := json_extract_string(e, '$.userIdentity.onBehalfOf.identityStoreArn')),
        sessioncontext := struct_pack(
            attributes := struct_pack(
                mfaauthenticated := json_extract_string(e, '$.userIdentity.sessionContext.attributes.mfaAuthenticated'),
                creationdate := json_extract_string(e, '$.userIdentity.sessionContext.attributes.creationDate')),
            sessionissuer := struct_pack(
                type := json_extract_string(e, '$.userIdentity.sessionContext.sessionIssuer.type'),
                principalid := json_extract_string(e, '$.userIdentity.sessionContext.sessionIssuer.principalId'),
                arn := json_extract_string(e, '$.userIdentity.sessionContext.sessionIssuer.arn'),
                accountid := json_extract_string(e, '$.userIdentity.sessionContext.sessionIssuer.accountId'),
                username := json_extract_string(e, '$.userIdentity.sessionContext.sessionIssuer.userName')),
            sourceidentity := json_extract_string(e, '$.userIdentity.sessionContext.sourceIdentity')))
    END AS useridentity,
    json_extract_string(e, '$.eventTime') AS eventtime,
    json_extract_string(e, '$.eventSource') AS eventsource,
    json_extract_string(e, '$.eventName') AS eventname,
    json_extract_string(e, '$.awsRegion') AS awsregion,
    json_extract_string(e, '$.sourceIPAddress') AS sourceipaddress,
    json_extract_string(e, '$.userAgent') AS useragent,
    json_extract_string(e, '$.errorCode') AS errorcode,
    json_extract_string(e, '$.errorMessage') AS errormessage,
    CAST(json_extract(e, '$.requestParameters') AS VARCHAR) AS requestparameters,
    CAST(json_extract(e, '$.responseElements') AS VARCHAR) AS responseelements,
    CAST(json_extract(e, '$.additionalEventData') AS VARCHAR) AS additionaleventdata,
    json_extract_string(e, '$.requestID') AS requestid,
    json_extract_string(e, '$.eventID') AS eventid,
    json_extract_string(e, '$.readOnly') AS readonly,
    json_extract_string(e, '$.eventType') AS eventtype,
    json_extract_string(e, '$.recipientAccountId') AS recipientaccountid,
    CAST(json_extract(e, '$.serviceEventDetails') AS VARCHAR) AS serviceeventdetails,
    json_extract_string(e, '$.sharedEventID') AS sharedeventid,
    json_extract_string(e, '$.vpcEndpointId') AS vpcendpointid,
    json_extract_string(e, '$.eventCategory') AS eventcategory,
    json_extract_string(e, '$.sessionCredentialFromConsole') AS sessioncredentialfromconsole,
    json_extract_string(e, '$.awsRegion') AS region,
    strftime(CAST(json_extract_string(e, '$.eventTime') AS TIMESTAMP), '%Y/%m/%d') AS "timestamp"
FROM events;
