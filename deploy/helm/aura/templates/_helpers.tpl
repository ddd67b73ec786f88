{{- define "aura.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "aura.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "aura.selectorLabels" -}}
app.kubernetes.io/name: {{ include "aura.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "aura.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "aura.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "aura.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "aura.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Several replicas (fixed or autoscaled): a Hazelcast cluster on a shared PostgreSQL. */}}
{{- define "aura.clustered" -}}
{{- if or .Values.autoscaling.enabled (gt (int .Values.replicaCount) 1) -}}true{{- end -}}
{{- end -}}

{{/* The headless service whose DNS name lists the replicas. */}}
{{- define "aura.clusterService" -}}
{{- printf "%s-cluster" (include "aura.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "aura.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* Refuses settings that cannot work together, with the reason. */}}
{{- define "aura.validate" -}}
{{- if include "aura.clustered" . -}}
{{- if not (hasPrefix "jdbc:postgresql:" .Values.database.url) -}}
{{- fail "several replicas (replicaCount > 1 or autoscaling.enabled) need database.url set to a PostgreSQL they share, e.g. jdbc:postgresql://postgres:5432/aura; the embedded H2 belongs to one server" -}}
{{- end -}}
{{- end -}}
{{- if and .Values.secret.create (not (index .Values.secret.data "JWT_SECRET")) -}}
{{- fail "secret.create is true but secret.data.JWT_SECRET is not set (at least 32 bytes, e.g. openssl rand -base64 48)" -}}
{{- end -}}
{{- if and .Values.secret.create (lt (len (toString (index .Values.secret.data "JWT_SECRET"))) 32) -}}
{{- fail "secret.data.JWT_SECRET is shorter than 32 bytes (HS256 needs 256 bits; e.g. openssl rand -base64 48)" -}}
{{- end -}}
{{- if lt (int .Values.terminationGracePeriodSeconds) (add (int .Values.preStopSleepSeconds) 15) -}}
{{- fail (printf "terminationGracePeriodSeconds (%v) must be at least preStopSleepSeconds (%v) + 15: after the pause the server needs time to stop before the kubelet kills it (its sockets 2 s, Hazelcast's partition migration up to 10 s, the last spans and graph writes)" .Values.terminationGracePeriodSeconds .Values.preStopSleepSeconds) -}}
{{- end -}}
{{- $derived := dict "AURA_DB_URL" "database.url" "DATABASE_URL" "database.url" "AURA_DB_USER" "database.user" "AURA_DB_SCHEMA" "database.schema" "AURA_REDIS_URL" "redis.url" "REDIS_URL" "redis.url" "AURA_NEO4J_URI" "neo4j.uri" "NEO4J_URI" "neo4j.uri" "AURA_NEO4J_USER" "neo4j.user" "NEO4J_USER" "neo4j.user" "OTEL_EXPORTER_OTLP_ENDPOINT" "otel.endpoint" "AURA_PUBLIC_URL" "publicUrl (or ingress.host)" "AURA_CLUSTER_PORT" "cluster.port" "AURA_CLUSTER_NAME" "cluster.name" -}}
{{- range $k, $v := .Values.config -}}
{{- if not (regexMatch "^[A-Z][A-Z0-9_]*$" $k) -}}
{{- fail (printf "config.%s: keys are environment variable names (A-Z, 0-9, _)" $k) -}}
{{- end -}}
{{- if has $k (list "AURA_JWT_SECRET" "JWT_SECRET" "AURA_DB_PASSWORD" "REDIS_PASSWORD" "NEO4J_PASSWORD" "AURA_NEO4J_PASSWORD" "AURA_ENROLMENT_KEY") -}}
{{- fail (printf "config.%s is a secret: put it in the Secret %s (secret.name), not in the ConfigMap" $k $.Values.secret.name) -}}
{{- end -}}
{{- if hasKey $derived $k -}}
{{- fail (printf "config.%s: set %s instead (the chart writes %s from it)" $k (get $derived $k) $k) -}}
{{- end -}}
{{- if has $k (list "AURA_CLUSTER_DNS" "AURA_CLUSTER_MEMBERS" "AURA_CLUSTER_HOST") -}}
{{- fail (printf "config.%s: the chart sets it (the headless service's name, the pod IP) when replicaCount > 1 or autoscaling.enabled" $k) -}}
{{- end -}}
{{- if has $k (list "AURA_JAVA_OPTS" "JDK_JAVA_OPTIONS" "JAVA_TOOL_OPTIONS") -}}
{{- fail (printf "config.%s: the image starts java itself; set javaOpts (JDK_JAVA_OPTIONS)" $k) -}}
{{- end -}}
{{- if not (has $k (include "aura.configKeys" $ | splitList " ")) -}}
{{- fail (printf "config.%s is not a setting the server reads (docs/configuration.md lists them): misspelt?" $k) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The keys config: may set: the server's settings (docs/configuration.md) that are neither secrets nor set
     by the chart from its own values. HelmChartTest checks every key ServerConfig reads against this list. */}}
{{- define "aura.configKeys" -}}
MAX_AGENTS_PER_REQUEST MAX_TOPOLOGY_DIMENSION REQUEST_TIMEOUT_SECONDS TDA_BATCH_SIZE TDA_CACHE_SIZE LNN_INFERENCE_THREADS ENABLE_QUANTUM_TDA ENABLE_NEUROMORPHIC ENABLE_GPU_ACCELERATION AURA_MAX_HOMOLOGY_DIMENSION AURA_MAX_BODY_BYTES AURA_AGENT_TOKEN_TTL_SECONDS AURA_PREDICTION_INTERVAL_MS AURA_COMMIT_DELAY_US AURA_RETENTION_DAYS AURA_ALERT_THRESHOLD AURA_POLICY AURA_LOG_LEVEL AURA_JWKS_URL AURA_JWT_ISSUER AURA_JWT_AUDIENCE AURA_JWKS_CACHE_SECONDS AURA_JWKS_MIN_REFETCH_SECONDS AURA_JWKS_TIMEOUT_MS AURA_REDIS_PREFIX AURA_REDIS_TTL_SECONDS AURA_REDIS_TIMEOUT_MS AURA_NEO4J_DATABASE AURA_NEO4J_INTERVAL_MS OTEL_EXPORTER_OTLP_TRACES_ENDPOINT OTEL_EXPORTER_OTLP_PROTOCOL OTEL_EXPORTER_OTLP_HEADERS OTEL_SERVICE_NAME OTEL_TRACES_SAMPLER_ARG OTEL_BSP_SCHEDULE_DELAY OTEL_TRACES_EXPORTER
{{- end -}}
