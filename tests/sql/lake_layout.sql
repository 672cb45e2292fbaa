-- A CloudTrail Lake event data store as its SQL schema describes it, built in DuckDB from
-- one JSON event per row (table `events`, column `e`): `userIdentity` a struct with
-- lowercase fields (`creationdate` a timestamp), `eventTime` a timestamp, `readOnly` and
-- `managementEvent` booleans, the parameters maps of strings (nested values kept as JSON
-- text), `resources` an array of structs. The Lake dialect's SQL, transpiled by sqlglot from
-- Trino to DuckDB, runs over it.
CREATE TABLE lake_eds AS
SELECT
    json_extract_string(e, '$.eventVersion') AS eventVersion,
    CASE WHEN json_type(json_extract(e, '$.userIdentity')) = 'OBJECT' THEN struct_pack(
        type := json_extract_string(e, '$.userIdentity.type'),
        principalid := json_extract_string(e, '$.userIdentity.principalId'),
        arn := json_extract_string(e, '$.userIdentity.arn'),
        accountid := json_extract_string(e, '$.userIdentity.accountId'),
        accesskeyid := json_extract_string(e, '$.userIdentity.accessKeyId'),
        username := json_extract_string(e, '$.userIdentity.userName'),
        sessioncontext := struct_pack(
            attributes := struct_pack(
                creationdate := CAST(json_extract_string(e, '$.userIdentity.sessionContext.attributes.creationDate') AS TIMESTAMP),
                mfaauthenticated := json_extract_string(e, '$.userIdentity.sessionContext.attributes.mfaAuthenticated')),
            sessionissuer := struct_pack(
                type := json_extract_string(e, '$.userIdentity.sessionContext.sessionIssuer.type'),
                principalid := json_extract_string(e, '$.userIdentity.sessionContext.sessionIssuer.principalId'),
                arn := json_extract_string(e, '$.userIdentity.sessionContext.sessionIssuer.arn'),
                accountid := json_extract_string(e, '$.userIdentity.sessionContext.sessionIssuer.accountId'),
                username := json_extract_string(e, '$.userIdentity.sessionContext.sessionIssuer.userName')),
            sourceidentity := json_extract_string(e, '$.userIdentity.sessionContext.sourceIdentity'),
            ec2roledelivery := json_extract_string(e, '$.userIdentity.sessionContext.ec2RoleDelivery')),
        onbehalfof := struct_pack(
            userid := json_extract_string(e, '$.userIdentity.onBehalfOf.userId'),
            identitystorearn := json_extract_string(e, '$.userIdentity.onBehalfOf.identityStoreArn')),
        invokedby := json_extract_string(e, '$.userIdentity.invokedBy'),
        identityprovider := json_extract_string(e, '$.userIdentity.identityProvider'))
    END AS userIdentity,
    CAST(json_extract_string(e, '$.eventTime') AS TIMESTAMP) AS eventTime,
    json_extract_string(e, '$.eventSource') AS eventSource,
    json_extract_string(e, '$.eventName') AS eventName,
    json_extract_string(e, '$.awsRegion') AS awsRegion,
    json_extract_string(e, '$.sourceIPAddress') AS sourceIPAddress,
    json_extract_string(e, '$.userAgent') AS userAgent,
    json_extract_string(e, '$.errorCode') AS errorCode,
    json_extract_string(e, '$.errorMessage') AS errorMessage,
    CAST(json_extract(e, '$.requestParameters') AS MAP(VARCHAR, VARCHAR)) AS requestParameters,
    CAST(json_extract(e, '$.responseElements') AS MAP(VARCHAR, VARCHAR)) AS responseElements,
    CAST(json_extract(e, '$.additionalEventData') AS MAP(VARCHAR, VARCHAR)) AS additionalEventData,
    json_extract_string(e, '$.requestID') AS requestID,
    json_extract_string(e, '$.eventID') AS eventID,
    CAST(json_extract(e, '$.readOnly') AS BOOLEAN) AS readOnly,
    CAST(json_extract(e, '$.resources') AS STRUCT(accountid VARCHAR, type VARCHAR, arn VARCHAR)[]) AS resources,
    json_extract_string(e, '$.eventType') AS eventType,
    json_extract_string(e, '$.apiVersion') AS apiVersion,
    CAST(json_extract(e, '$.managementEvent') AS BOOLEAN) AS managementEvent,
    json_extract_string(e, '$.recipientAccountId') AS recipientAccountId,
    json_extract_string(e, '$.sharedEventID') AS sharedEventID,
    json_extract_string(e, '$.vpcEndpointId') AS vpcEndpointId,
    CAST(json_extract(e, '$.serviceEventDetails') AS MAP(VARCHAR, VARCHAR)) AS serviceEventDetails,
    json_extract_string(e, '$.eventCategory') AS eventCategory,
    json_extract_string(e, '$.sessionCredentialFromConsole') AS sessionCredentialFromConsole,
    struct_pack(
        tlsversion := json_extract_string(e, '$.tlsDetails.tlsVersion'),
        ciphersuite := json_extract_string(e, '$.tlsDetails.cipherSuite'),
        clientprovidedhostheader := json_extract_string(e, '$.tlsDetails.clientProvidedHostHeader')) AS tlsDetails
FROM events;
