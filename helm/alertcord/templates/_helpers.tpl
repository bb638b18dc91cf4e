{{/* Chart name, cut to the 63 characters of a DNS label. */}}
{{- define "alertcord.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name of the release's resources. */}}
{{- define "alertcord.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "alertcord.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "alertcord.selectorLabels" -}}
app.kubernetes.io/name: {{ include "alertcord.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "alertcord.labels" -}}
helm.sh/chart: {{ include "alertcord.chart" . }}
{{ include "alertcord.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "alertcord.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "alertcord.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "alertcord.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{/* Where the pod finds its files; the rendered config names these paths. */}}
{{- define "alertcord.configDir" -}}/etc/alertcord/config{{- end }}
{{- define "alertcord.templatesDir" -}}/etc/alertcord/templates{{- end }}
{{- define "alertcord.webhooksDir" -}}/etc/alertcord/webhooks{{- end }}
{{- define "alertcord.authDir" -}}/etc/alertcord/auth{{- end }}
{{- define "alertcord.authTokenFile" -}}{{ include "alertcord.authDir" . }}/bearer-token{{- end }}
{{- define "alertcord.redisDir" -}}/etc/alertcord/redis{{- end }}
{{- define "alertcord.redisUrlFile" -}}{{ include "alertcord.redisDir" . }}/url{{- end }}

{{- define "alertcord.webhookSecretName" -}}
{{- .Values.existingSecret | default (printf "%s-webhooks" (include "alertcord.fullname" .)) }}
{{- end }}

{{- define "alertcord.authSecretName" -}}
{{- .Values.auth.existingSecret | default (printf "%s-auth" (include "alertcord.fullname" .)) }}
{{- end }}

{{/* "true" when receiver auth is on (the default), else empty. */}}
{{- define "alertcord.authEnabled" -}}
{{- if .Values.auth.enabled }}true{{ end }}
{{- end }}

{{/*
The receiver's bearer token for the chart's Secret, base64: `auth.bearerToken` when given,
else the one already in the release's Secret (an upgrade keeps it), else a new random one.
*/}}
{{- define "alertcord.authTokenB64" -}}
{{- if .Values.auth.bearerToken }}
{{- .Values.auth.bearerToken | b64enc }}
{{- else }}
{{- $existing := lookup "v1" "Secret" .Release.Namespace (include "alertcord.authSecretName" .) | default dict }}
{{- dig "data" "bearer-token" "" $existing | default (randAlphaNum 48 | b64enc) }}
{{- end }}
{{- end }}

{{/* Names of the targets that deliver to Discord (not dry-run), as a JSON list. */}}
{{- define "alertcord.deliveringTargets" -}}
{{- $names := list }}
{{- range $name, $t := .Values.targets }}
{{- if not $t.dryRun }}{{ $names = append $names $name }}{{ end }}
{{- end }}
{{- toJson $names }}
{{- end }}

{{/* "true" when Redis is set (the high-availability mode), else empty (one process, in memory). */}}
{{- define "alertcord.redisEnabled" -}}
{{- if or .Values.redis.url .Values.redis.existingSecret }}true{{ end }}
{{- end }}

{{/* Pods to run: replicaCount when given, else 2 with Redis (a dispatcher and a standby), else 1. */}}
{{- define "alertcord.replicas" -}}
{{- if not (kindIs "invalid" .Values.replicaCount) }}{{ int .Values.replicaCount }}
{{- else if include "alertcord.redisEnabled" . }}2
{{- else }}1
{{- end }}
{{- end }}

{{/* "true" when the chart creates a PodDisruptionBudget: as asked, else with Redis and 2+ pods. */}}
{{- define "alertcord.pdbEnabled" -}}
{{- $asked := .Values.podDisruptionBudget.enabled }}
{{- if kindIs "invalid" $asked }}
{{- if and (include "alertcord.redisEnabled" .) (ge (int (include "alertcord.replicas" .)) 2) }}true{{ end }}
{{- else if $asked }}true
{{- end }}
{{- end }}

{{/* host:port of redis.url, for NOTES: its credentials (there should be none) are never printed. */}}
{{- define "alertcord.redisAddress" -}}
{{- (urlParse .Values.redis.url).host }}
{{- end }}

{{/* The port Redis listens on, for the NetworkPolicy: networkPolicy.redisPort, else redis.url's, else 6379. */}}
{{- define "alertcord.redisPort" -}}
{{- $fromUrl := "" }}
{{- if .Values.redis.url }}{{ $fromUrl = regexFind ":[0-9]+$" (urlParse .Values.redis.url).host | trimPrefix ":" }}{{ end }}
{{- .Values.networkPolicy.redisPort | default $fromUrl | default 6379 | int }}
{{- end }}

{{/* "true" when the user gives templates (from values or an existing ConfigMap), else empty. */}}
{{- define "alertcord.userTemplates" -}}
{{- if or .Values.templates.files .Values.templates.partials .Values.templates.existingConfigMap }}true{{ end }}
{{- end }}

{{/* A duration (500ms, 30s, 5m, 1h, 1d or a number of seconds) in seconds. */}}
{{- define "alertcord.seconds" -}}
{{- $v := toString . }}
{{- $n := regexReplaceAll "^([0-9.]+)(ms|s|m|h|d)?$" $v "${1}" | float64 }}
{{- $unit := regexReplaceAll "^([0-9.]+)(ms|s|m|h|d)?$" $v "${2}" }}
{{- $factor := get (dict "ms" 0.001 "s" 1.0 "m" 60.0 "h" 3600.0 "d" 86400.0 "" 1.0) $unit }}
{{- mulf $n $factor }}
{{- end }}

{{/* Grace period: above the drain deadline, so queued messages are not killed mid-drain. */}}
{{- define "alertcord.terminationGracePeriodSeconds" -}}
{{- $drain := include "alertcord.seconds" .Values.config.delivery.drainTimeout | float64 | ceil | int }}
{{- with .Values.terminationGracePeriodSeconds }}
{{- if le (int .) $drain }}
{{- fail (printf "terminationGracePeriodSeconds (%d) must be above config.delivery.drainTimeout (%ds)" (int .) $drain) }}
{{- end }}
{{- int . }}
{{- else }}
{{- add $drain 10 }}
{{- end }}
{{- end }}

{{/* Refuse values that would deploy a broken alertcord, with the value to fix. */}}
{{- define "alertcord.validate" -}}
{{- $v := .Values }}
{{- range $name, $t := $v.targets }}
{{- if and $t.dryRun $t.webhookUrl }}
{{- fail (printf "targets.%s: set either webhookUrl or dryRun: true, not both" $name) }}
{{- end }}
{{- if and $v.existingSecret $t.webhookUrl }}
{{- fail (printf "targets.%s.webhookUrl: leave empty with existingSecret (the URL comes from its key %q)" $name ($t.secretKey | default $name)) }}
{{- end }}
{{- if not (or $t.dryRun $t.webhookUrl $v.existingSecret) }}
{{- fail (printf "targets.%s: needs webhookUrl, existingSecret (key %q) or dryRun: true" $name ($t.secretKey | default $name)) }}
{{- end }}
{{- end }}
{{- range $i, $r := $v.routes }}
{{- range $r.targets }}
{{- if not (hasKey $v.targets .) }}
{{- fail (printf "routes[%d].targets: unknown target %q (targets: %s)" $i . (keys $v.targets | sortAlpha | join ", ")) }}
{{- end }}
{{- end }}
{{- end }}
{{- if and $v.templates.existingConfigMap (or $v.templates.files $v.templates.partials) }}
{{- fail "templates: set either existingConfigMap or files/partials, not both" }}
{{- end }}
{{- if and $v.auth.bearerToken $v.auth.existingSecret }}
{{- fail "auth: set either bearerToken or existingSecret, not both" }}
{{- end }}
{{- if and (not $v.auth.enabled) (or $v.auth.bearerToken $v.auth.existingSecret) }}
{{- fail "auth.enabled is false: leave auth.bearerToken and auth.existingSecret empty" }}
{{- end }}
{{- if and $v.redis.url $v.redis.existingSecret }}
{{- fail "redis: set either url or existingSecret, not both" }}
{{- end }}
{{- if and $v.redis.url (not (regexMatch "^rediss?://[^/?#]+" $v.redis.url)) }}
{{- fail "redis.url must be a redis:// or rediss:// URL with a host (redis://host:6379/0)" }}
{{- end }}
{{- /* The URL would land in the ConfigMap; alertcord refuses an inline password for the same reason. */}}
{{- if and $v.redis.url (contains ":" (urlParse $v.redis.url).userinfo) }}
{{- fail "redis.url holds a password: put the whole URL in a Secret and name it in redis.existingSecret" }}
{{- end }}
{{- end }}
