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
{{- range $k, $v := .Values.config -}}
{{- if not (regexMatch "^[A-Z][A-Z0-9_]*$" $k) -}}
{{- fail (printf "config.%s: keys are environment variable names (A-Z, 0-9, _)" $k) -}}
{{- end -}}
{{- if or (eq $k "AURA_JWT_SECRET") (eq $k "JWT_SECRET") (eq $k "AURA_DB_PASSWORD") (eq $k "REDIS_PASSWORD") (eq $k "NEO4J_PASSWORD") (eq $k "AURA_ENROLMENT_KEY") -}}
{{- fail (printf "config.%s is a secret: put it in the Secret %s (secret.name), not in the ConfigMap" $k $.Values.secret.name) -}}
{{- end -}}
{{- end -}}
{{- end -}}
