"""The app-developer service catalog: for each AWS service an app may use, the exact actions and ARN patterns
(see ``service_access``).

What the catalog leaves out on purpose: resource policies (``s3:PutBucketPolicy``,
``sqs:AddPermission``, ``secretsmanager:PutResourcePolicy``, ``ecr:SetRepositoryPolicy``, ...) that
would let an app share its data outside the account; writes that only work on ``"*"``
(``sns:Unsubscribe``, ``kinesis:UpdateShardCount``, ``ecs:DeregisterTaskDefinition``); exports to
arbitrary destinations (``dynamodb:ExportTableToPointInTime``, ``logs:PutSubscriptionFilter``). API
Gateway is not catalogued: its ARNs carry generated ids, never the app's name."""

from __future__ import annotations

from ...policy.document import Condition, arn
from .service_access import PREFIX, Grant, ServiceAccess, regional_arn


# --- app-developer catalog ------------------------------------------------------------------------------

_FUNCTIONS = (regional_arn("lambda", f"function:{PREFIX}*"),)
_TABLES = (regional_arn("dynamodb", f"table/{PREFIX}*"), regional_arn("dynamodb", f"table/{PREFIX}*/index/*"))
_BUCKETS = (arn("s3", f"{PREFIX}*", account=""),)
_OBJECTS = (arn("s3", f"{PREFIX}*/*", account=""),)
_QUEUES = (regional_arn("sqs", f"{PREFIX}*"),)
_TOPICS = (regional_arn("sns", f"{PREFIX}*"),)
_LOG_GROUP_NAMES = (f"{PREFIX}*", f"/aws/lambda/{PREFIX}*", f"/ecs/{PREFIX}*")
_LOG_GROUPS = tuple(regional_arn("logs", f"log-group:{name}") for name in _LOG_GROUP_NAMES)
_LOG_STREAMS = tuple(regional_arn("logs", f"log-group:{name}:log-stream:*") for name in _LOG_GROUP_NAMES)
_ALARMS = (regional_arn("cloudwatch", f"alarm:{PREFIX}*"),)
_DASHBOARDS = (arn("cloudwatch", f"dashboard/{PREFIX}*"),)
_PARAMETERS = (regional_arn("ssm", f"parameter/{PREFIX}*"),)
_SECRETS = (regional_arn("secretsmanager", f"secret:{PREFIX}*"),)
_STREAMS = (regional_arn("kinesis", f"stream/{PREFIX}*"),)
_STATE_MACHINES = (regional_arn("states", f"stateMachine:{PREFIX}*"),)
_ACTIVITIES = (regional_arn("states", f"activity:{PREFIX}*"),)
_REPOSITORIES = (regional_arn("ecr", f"repository/{PREFIX}*"),)
_CLUSTERS = (regional_arn("ecs", f"cluster/{PREFIX}*"),)
_ECS_SERVICES = (regional_arn("ecs", f"service/{PREFIX}*/*"),)
_TASKS = (regional_arn("ecs", f"task/{PREFIX}*/*"),)
_TASK_DEFINITIONS = (regional_arn("ecs", f"task-definition/{PREFIX}*:*"),)
_RULES = (regional_arn("events", f"rule/{PREFIX}*"), regional_arn("events", f"rule/{PREFIX}*/*"))
_EVENT_BUSES = (regional_arn("events", f"event-bus/{PREFIX}*"),)

_LAMBDA_INVOKERS = ("apigateway.amazonaws.com", "events.amazonaws.com", "s3.amazonaws.com", "sns.amazonaws.com")

SERVICES: dict[str, ServiceAccess] = {
    "cloudwatch": ServiceAccess(
        label="CloudWatch",
        grants=(
            Grant("Alarms", ("cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarmHistory", "cloudwatch:DescribeAlarms",
                             "cloudwatch:DisableAlarmActions", "cloudwatch:EnableAlarmActions",
                             "cloudwatch:ListTagsForResource", "cloudwatch:SetAlarmState"), _ALARMS),
            Grant("PutAlarms", ("cloudwatch:PutCompositeAlarm", "cloudwatch:PutMetricAlarm"), _ALARMS, abac="none"),
            Grant("Dashboards", ("cloudwatch:DeleteDashboards", "cloudwatch:GetDashboard", "cloudwatch:PutDashboard"),
                  _DASHBOARDS, abac="none"),
        ),
        unscoped_reads=("cloudwatch:DescribeAlarmsForMetric", "cloudwatch:DescribeAnomalyDetectors",
                        "cloudwatch:GetMetricData", "cloudwatch:GetMetricStatistics",
                        "cloudwatch:GetMetricWidgetImage", "cloudwatch:ListDashboards", "cloudwatch:ListMetrics"),
        tag_actions=("cloudwatch:TagResource",), untag_actions=("cloudwatch:UntagResource",), tag_resources=_ALARMS,
    ),
    "dynamodb": ServiceAccess(
        label="DynamoDB",
        grants=(
            Grant("Tables", ("dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem",
                             "dynamodb:CreateBackup", "dynamodb:DeleteItem", "dynamodb:DeleteTable",
                             "dynamodb:DescribeContinuousBackups", "dynamodb:DescribeContributorInsights",
                             "dynamodb:DescribeTable", "dynamodb:DescribeTimeToLive", "dynamodb:GetItem",
                             "dynamodb:ListTagsOfResource", "dynamodb:PartiQLDelete", "dynamodb:PartiQLInsert",
                             "dynamodb:PartiQLSelect", "dynamodb:PartiQLUpdate", "dynamodb:PutItem", "dynamodb:Query",
                             "dynamodb:Scan", "dynamodb:UpdateContinuousBackups", "dynamodb:UpdateContributorInsights",
                             "dynamodb:UpdateItem", "dynamodb:UpdateTable", "dynamodb:UpdateTimeToLive"), _TABLES),
            Grant("CreateTables", ("dynamodb:CreateTable",), _TABLES[:1], abac="request"),
            Grant("Streams", ("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"),
                  (regional_arn("dynamodb", f"table/{PREFIX}*/stream/*"),), abac="none"),
            Grant("Backups", ("dynamodb:DeleteBackup", "dynamodb:DescribeBackup"),
                  (regional_arn("dynamodb", f"table/{PREFIX}*/backup/*"),), abac="none"),
        ),
        unscoped_reads=("dynamodb:DescribeLimits", "dynamodb:ListBackups", "dynamodb:ListStreams",
                        "dynamodb:ListTables"),
        tag_actions=("dynamodb:TagResource",), untag_actions=("dynamodb:UntagResource",), tag_resources=_TABLES[:1],
    ),
    "ecr": ServiceAccess(
        label="ECR",
        grants=(
            Grant("Repositories", ("ecr:BatchCheckLayerAvailability", "ecr:BatchDeleteImage", "ecr:BatchGetImage",
                                   "ecr:CompleteLayerUpload", "ecr:DeleteLifecyclePolicy", "ecr:DeleteRepository",
                                   "ecr:DescribeImageScanFindings", "ecr:DescribeImages", "ecr:DescribeRepositories",
                                   "ecr:GetDownloadUrlForLayer", "ecr:GetLifecyclePolicy", "ecr:GetRepositoryPolicy",
                                   "ecr:InitiateLayerUpload", "ecr:ListImages", "ecr:ListTagsForResource",
                                   "ecr:PutImage", "ecr:PutImageScanningConfiguration", "ecr:PutImageTagMutability",
                                   "ecr:PutLifecyclePolicy", "ecr:StartImageScan", "ecr:UploadLayerPart"),
                  _REPOSITORIES),
            Grant("CreateRepositories", ("ecr:CreateRepository",), _REPOSITORIES, abac="request"),
        ),
        # docker login; the token only works on repositories the caller may read or push to
        unscoped_reads=("ecr:GetAuthorizationToken",),
        tag_actions=("ecr:TagResource",), untag_actions=("ecr:UntagResource",), tag_resources=_REPOSITORIES,
    ),
    "ecs": ServiceAccess(
        label="ECS",
        grants=(
            Grant("Clusters", ("ecs:DeleteCluster", "ecs:DescribeClusters", "ecs:ListContainerInstances",
                               "ecs:PutClusterCapacityProviders", "ecs:UpdateCluster", "ecs:UpdateClusterSettings"),
                  _CLUSTERS),
            Grant("CreateClusters", ("ecs:CreateCluster",), _CLUSTERS, abac="request"),
            Grant("Services", ("ecs:DeleteService", "ecs:DescribeServices", "ecs:UpdateService"), _ECS_SERVICES),
            Grant("CreateServices", ("ecs:CreateService",), _ECS_SERVICES, abac="request"),
            Grant("Tasks", ("ecs:DescribeTasks", "ecs:GetTaskProtection", "ecs:StopTask", "ecs:UpdateTaskProtection"),
                  _TASKS),
            Grant("ExecuteCommand", ("ecs:ExecuteCommand",), _CLUSTERS + _TASKS),
            Grant("TaskDefinitions", ("ecs:DeleteTaskDefinitions", "ecs:RegisterTaskDefinition"), _TASK_DEFINITIONS,
                  abac="none"),
            Grant("RunTasks", ("ecs:RunTask", "ecs:StartTask"), _TASK_DEFINITIONS, abac="none",
                  conditions=(Condition("ArnLike", "ecs:cluster", _CLUSTERS),)),
        ),
        unscoped_reads=("ecs:DescribeTaskDefinition", "ecs:ListClusters", "ecs:ListServices",
                        "ecs:ListTaskDefinitionFamilies", "ecs:ListTaskDefinitions"),
        tag_actions=("ecs:TagResource",), untag_actions=("ecs:UntagResource",),
        tag_resources=_CLUSTERS + _ECS_SERVICES + _TASKS + _TASK_DEFINITIONS,
        pass_role_to=("ecs-tasks.amazonaws.com",),
    ),
    "events": ServiceAccess(
        label="Events",
        grants=(
            Grant("Rules", ("events:DeleteRule", "events:DescribeRule", "events:DisableRule", "events:EnableRule",
                            "events:ListTagsForResource", "events:ListTargetsByRule", "events:PutTargets",
                            "events:RemoveTargets"), _RULES),
            Grant("PutRules", ("events:PutRule",), _RULES, abac="none"),
            Grant("Buses", ("events:DeleteEventBus", "events:DescribeEventBus", "events:PutEvents"), _EVENT_BUSES),
            Grant("CreateBuses", ("events:CreateEventBus",), _EVENT_BUSES, abac="request"),
        ),
        unscoped_reads=("events:ListEventBuses", "events:ListRuleNamesByTarget", "events:ListRules",
                        "events:TestEventPattern"),
        tag_actions=("events:TagResource",), untag_actions=("events:UntagResource",),
        tag_resources=_RULES + _EVENT_BUSES,
        pass_role_to=("events.amazonaws.com",),
    ),
    "kinesis": ServiceAccess(
        label="Kinesis",
        grants=(
            Grant("Streams", ("kinesis:DecreaseStreamRetentionPeriod", "kinesis:DeleteStream", "kinesis:DescribeStream",
                              "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator",
                              "kinesis:IncreaseStreamRetentionPeriod", "kinesis:ListShards",
                              "kinesis:ListStreamConsumers", "kinesis:ListTagsForStream", "kinesis:MergeShards",
                              "kinesis:PutRecord", "kinesis:PutRecords", "kinesis:RegisterStreamConsumer",
                              "kinesis:SplitShard"), _STREAMS),
            Grant("CreateStreams", ("kinesis:CreateStream",), _STREAMS, abac="request"),
            Grant("Consumers", ("kinesis:DeregisterStreamConsumer", "kinesis:DescribeStreamConsumer",
                                "kinesis:SubscribeToShard"),
                  (regional_arn("kinesis", f"stream/{PREFIX}*/consumer/*"),), abac="none"),
        ),
        unscoped_reads=("kinesis:DescribeLimits", "kinesis:ListStreams"),
        tag_actions=("kinesis:AddTagsToStream",), untag_actions=("kinesis:RemoveTagsFromStream",),
        tag_resources=_STREAMS,
    ),
    "lambda": ServiceAccess(
        label="Lambda",
        grants=(
            Grant("Functions", ("lambda:CreateAlias", "lambda:DeleteAlias", "lambda:DeleteFunction",
                                "lambda:DeleteFunctionConcurrency", "lambda:DeleteFunctionEventInvokeConfig",
                                "lambda:DeleteProvisionedConcurrencyConfig", "lambda:GetAlias", "lambda:GetFunction",
                                "lambda:GetFunctionConcurrency", "lambda:GetFunctionConfiguration",
                                "lambda:GetFunctionEventInvokeConfig", "lambda:GetPolicy",
                                "lambda:GetProvisionedConcurrencyConfig", "lambda:InvokeFunction", "lambda:ListAliases",
                                "lambda:ListFunctionEventInvokeConfigs", "lambda:ListProvisionedConcurrencyConfigs",
                                "lambda:ListTags", "lambda:ListVersionsByFunction", "lambda:PublishVersion",
                                "lambda:PutFunctionConcurrency", "lambda:PutFunctionEventInvokeConfig",
                                "lambda:PutProvisionedConcurrencyConfig", "lambda:UpdateAlias",
                                "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration",
                                "lambda:UpdateFunctionEventInvokeConfig"), _FUNCTIONS),
            Grant("CreateFunctions", ("lambda:CreateFunction",), _FUNCTIONS, abac="request"),
            # function URLs only with IAM auth: no anonymous endpoints
            Grant("FunctionUrls", ("lambda:CreateFunctionUrlConfig", "lambda:DeleteFunctionUrlConfig",
                                   "lambda:GetFunctionUrlConfig", "lambda:UpdateFunctionUrlConfig"), _FUNCTIONS,
                  conditions=(Condition("StringEquals", "lambda:FunctionUrlAuthType", ("AWS_IAM",)),)),
            # resource-policy statements only for AWS service triggers, never other accounts or "*"
            Grant("Triggers", ("lambda:AddPermission", "lambda:RemovePermission"), _FUNCTIONS,
                  conditions=(Condition("StringEquals", "lambda:Principal", _LAMBDA_INVOKERS),)),
            # mappings have generated ids: scoped by the function they feed
            Grant("CreateEventSourceMappings", ("lambda:CreateEventSourceMapping",), ("*",), abac="none",
                  conditions=(Condition("ArnLike", "lambda:FunctionArn", _FUNCTIONS),)),
            Grant("EventSourceMappings", ("lambda:DeleteEventSourceMapping", "lambda:GetEventSourceMapping",
                                          "lambda:UpdateEventSourceMapping"),
                  (regional_arn("lambda", "event-source-mapping:*"),), abac="none",
                  conditions=(Condition("ArnLike", "lambda:FunctionArn", _FUNCTIONS),)),
        ),
        unscoped_reads=("lambda:GetAccountSettings", "lambda:ListEventSourceMappings", "lambda:ListFunctions"),
        tag_actions=("lambda:TagResource",), untag_actions=("lambda:UntagResource",), tag_resources=_FUNCTIONS,
        pass_role_to=("lambda.amazonaws.com",),
    ),
    "logs": ServiceAccess(
        label="Logs",
        grants=(
            Grant("LogGroups", ("logs:DeleteLogGroup", "logs:DeleteMetricFilter", "logs:DeleteRetentionPolicy",
                                "logs:DescribeLogStreams", "logs:DescribeMetricFilters",
                                "logs:DescribeSubscriptionFilters", "logs:FilterLogEvents", "logs:GetLogGroupFields",
                                "logs:GetQueryResults", "logs:ListTagsForResource", "logs:PutMetricFilter",
                                "logs:PutRetentionPolicy", "logs:StartQuery"), _LOG_GROUPS),
            Grant("CreateLogGroups", ("logs:CreateLogGroup",), _LOG_GROUPS, abac="request"),
            Grant("LogStreams", ("logs:CreateLogStream", "logs:DeleteLogStream", "logs:GetLogEvents",
                                 "logs:PutLogEvents"), _LOG_STREAMS, abac="none"),
        ),
        unscoped_reads=("logs:DescribeLogGroups", "logs:DescribeQueries", "logs:DescribeQueryDefinitions",
                        "logs:StopQuery", "logs:TestMetricFilter"),
        tag_actions=("logs:TagResource",), untag_actions=("logs:UntagResource",), tag_resources=_LOG_GROUPS,
    ),
    "s3": ServiceAccess(
        label="S3",
        grants=(
            Grant("Buckets", ("s3:CreateBucket", "s3:DeleteBucket", "s3:GetBucketCORS", "s3:GetBucketLocation",
                              "s3:GetBucketNotification", "s3:GetBucketOwnershipControls", "s3:GetBucketPolicy",
                              "s3:GetBucketPublicAccessBlock", "s3:GetBucketTagging", "s3:GetBucketVersioning",
                              "s3:GetEncryptionConfiguration", "s3:GetLifecycleConfiguration", "s3:ListBucket",
                              "s3:ListBucketMultipartUploads", "s3:ListBucketVersions", "s3:PutBucketCORS",
                              "s3:PutBucketNotification", "s3:PutBucketTagging", "s3:PutBucketVersioning",
                              "s3:PutEncryptionConfiguration", "s3:PutLifecycleConfiguration"), _BUCKETS, abac="none"),
            Grant("Objects", ("s3:AbortMultipartUpload", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:GetObject",
                              "s3:GetObjectTagging", "s3:GetObjectVersion", "s3:ListMultipartUploadParts",
                              "s3:PutObject", "s3:PutObjectTagging", "s3:RestoreObject"), _OBJECTS, abac="none"),
        ),
        unscoped_reads=("s3:ListAllMyBuckets",),
    ),
    "secretsmanager": ServiceAccess(
        label="SecretsManager",
        grants=(
            Grant("Secrets", ("secretsmanager:CancelRotateSecret", "secretsmanager:DeleteSecret",
                              "secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy",
                              "secretsmanager:GetSecretValue", "secretsmanager:ListSecretVersionIds",
                              "secretsmanager:PutSecretValue", "secretsmanager:RestoreSecret",
                              "secretsmanager:RotateSecret", "secretsmanager:UpdateSecret",
                              "secretsmanager:UpdateSecretVersionStage"), _SECRETS),
            Grant("CreateSecrets", ("secretsmanager:CreateSecret",), _SECRETS, abac="request"),
        ),
        unscoped_reads=("secretsmanager:GetRandomPassword", "secretsmanager:ListSecrets"),
        tag_actions=("secretsmanager:TagResource",), untag_actions=("secretsmanager:UntagResource",),
        tag_resources=_SECRETS,
    ),
    "sns": ServiceAccess(
        label="SNS",
        grants=(
            Grant("Topics", ("sns:DeleteTopic", "sns:GetDataProtectionPolicy", "sns:GetTopicAttributes",
                             "sns:ListSubscriptionsByTopic", "sns:ListTagsForResource", "sns:Publish",
                             "sns:PutDataProtectionPolicy", "sns:SetTopicAttributes", "sns:Subscribe"), _TOPICS),
            Grant("CreateTopics", ("sns:CreateTopic",), _TOPICS, abac="request"),
        ),
        unscoped_reads=("sns:GetSubscriptionAttributes", "sns:ListSubscriptions", "sns:ListTopics"),
        tag_actions=("sns:TagResource",), untag_actions=("sns:UntagResource",), tag_resources=_TOPICS,
    ),
    "sqs": ServiceAccess(
        label="SQS",
        grants=(
            Grant("Queues", ("sqs:CancelMessageMoveTask", "sqs:ChangeMessageVisibility", "sqs:DeleteMessage",
                             "sqs:DeleteQueue", "sqs:GetQueueAttributes", "sqs:GetQueueUrl",
                             "sqs:ListDeadLetterSourceQueues", "sqs:ListMessageMoveTasks", "sqs:ListQueueTags",
                             "sqs:PurgeQueue", "sqs:ReceiveMessage", "sqs:SendMessage", "sqs:SetQueueAttributes",
                             "sqs:StartMessageMoveTask"), _QUEUES),
            Grant("CreateQueues", ("sqs:CreateQueue",), _QUEUES, abac="request"),
        ),
        unscoped_reads=("sqs:ListQueues",),
        tag_actions=("sqs:TagQueue",), untag_actions=("sqs:UntagQueue",), tag_resources=_QUEUES,
    ),
    "ssm": ServiceAccess(
        label="SSM",
        grants=(
            Grant("Parameters", ("ssm:DeleteParameter", "ssm:DeleteParameters", "ssm:GetParameter",
                                 "ssm:GetParameterHistory", "ssm:GetParameters", "ssm:GetParametersByPath",
                                 "ssm:LabelParameterVersion", "ssm:ListTagsForResource", "ssm:PutParameter",
                                 "ssm:UnlabelParameterVersion"), _PARAMETERS, abac="none"),
        ),
        unscoped_reads=("ssm:DescribeParameters",),
        tag_actions=("ssm:AddTagsToResource",), untag_actions=("ssm:RemoveTagsFromResource",),
        tag_resources=_PARAMETERS,
    ),
    "states": ServiceAccess(
        label="StepFunctions",
        grants=(
            Grant("StateMachines", ("states:CreateStateMachineAlias", "states:DeleteStateMachine",
                                    "states:DeleteStateMachineAlias", "states:DeleteStateMachineVersion",
                                    "states:DescribeStateMachine", "states:DescribeStateMachineAlias",
                                    "states:ListStateMachineAliases",
                                    "states:ListStateMachineVersions", "states:ListTagsForResource",
                                    "states:PublishStateMachineVersion", "states:StartExecution",
                                    "states:StartSyncExecution", "states:UpdateStateMachine",
                                    "states:UpdateStateMachineAlias"), _STATE_MACHINES),
            Grant("CreateStateMachines", ("states:CreateStateMachine",), _STATE_MACHINES, abac="request"),
            Grant("Executions", ("states:DescribeExecution", "states:DescribeStateMachineForExecution",
                                 "states:GetExecutionHistory", "states:ListExecutions", "states:RedriveExecution",
                                 "states:StopExecution"),
                  (regional_arn("states", f"execution:{PREFIX}*:*"), regional_arn("states", f"express:{PREFIX}*:*"),
                   regional_arn("states", f"mapRun:{PREFIX}*/*:*")) + _STATE_MACHINES, abac="none"),
            Grant("Activities", ("states:CreateActivity", "states:DeleteActivity", "states:DescribeActivity"),
                  _ACTIVITIES, abac="none"),
        ),
        unscoped_reads=("states:ListActivities", "states:ListStateMachines", "states:ValidateStateMachineDefinition"),
        tag_actions=("states:TagResource",), untag_actions=("states:UntagResource",),
        tag_resources=_STATE_MACHINES + _ACTIVITIES,
        pass_role_to=("states.amazonaws.com",),
    ),
}
