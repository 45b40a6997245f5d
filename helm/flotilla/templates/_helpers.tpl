{{/* Names and labels. */}}
{{- define "flotilla.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}{{ .Release.Name | trunc 40 | trimSuffix "-" }}{{- else -}}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" }}{{- end -}}
{{- end -}}

{{- define "flotilla.serviceName" -}}
{{ include "flotilla.fullname" .root }}-{{ .name }}
{{- end -}}

{{- define "flotilla.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/part-of: flotilla
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{- define "flotilla.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* A service's settings: the shared defaults with its own entry on top. */}}
{{- define "flotilla.settings" -}}
{{- $settings := mergeOverwrite (deepCopy .root.Values.defaults) (deepCopy (omit .service "calls")) -}}
{{- toYaml $settings -}}
{{- end -}}

{{/* The enabled services, sorted, as a list. */}}
{{- define "flotilla.enabled" -}}
{{- $enabled := list -}}
{{- range $name, $service := .Values.services }}{{ if $service.enabled }}{{ $enabled = append $enabled $name }}{{ end }}{{ end -}}
{{- toJson (sortAlpha $enabled) -}}
{{- end -}}

{{/* The services `name` calls (the gateway: every other enabled one), enabled only. */}}
{{- define "flotilla.calls" -}}
{{- $enabled := include "flotilla.enabled" .root | fromJsonArray -}}
{{- $calls := list -}}
{{- if eq .name "gateway" -}}
{{- $calls = without $enabled "gateway" -}}
{{- else -}}
{{- range (index .root.Values.services .name).calls }}{{ if has . $enabled }}{{ $calls = append $calls . }}{{ end }}{{ end -}}
{{- end -}}
{{- toJson $calls -}}
{{- end -}}

{{/* The services that call `name`. */}}
{{- define "flotilla.callers" -}}
{{- $root := .root -}}
{{- $target := .name -}}
{{- $callers := list -}}
{{- range $caller := include "flotilla.enabled" $root | fromJsonArray -}}
{{- if has $target (include "flotilla.calls" (dict "root" $root "name" $caller) | fromJsonArray) }}{{ $callers = append $callers $caller }}{{ end -}}
{{- end -}}
{{- toJson $callers -}}
{{- end -}}

{{- define "flotilla.image" -}}
{{ .root.Values.image.registry }}/flotilla-{{ .name }}:{{ .root.Values.image.tag | default .root.Chart.AppVersion }}
{{- end -}}

{{- define "flotilla.secretName" -}}
{{ include "flotilla.fullname" . }}-connections
{{- end -}}

{{/* Where DATABASE_URL and REDIS_URL come from. */}}
{{- define "flotilla.databaseSecret" -}}
{{- if .Values.database.existingSecret }}{{ .Values.database.existingSecret }}{{ else }}{{ include "flotilla.secretName" . }}{{ end -}}
{{- end -}}
{{- define "flotilla.redisSecret" -}}
{{- if .Values.redis.existingSecret }}{{ .Values.redis.existingSecret }}{{ else }}{{ include "flotilla.secretName" . }}{{ end -}}
{{- end -}}

{{/* The hardened security contexts every Flotilla pod uses. */}}
{{- define "flotilla.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end -}}
{{- define "flotilla.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
privileged: false
capabilities:
  drop: ["ALL"]
{{- end -}}

{{/* Environment shared by a service's pods and its migration step. */}}
{{- define "flotilla.connectionEnv" -}}
{{- if .service.database }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "flotilla.databaseSecret" .root }}
      key: {{ .root.Values.database.existingSecretKey }}
- name: DB_SCHEMA
  value: {{ .name | quote }}
{{- end }}
{{- if .service.redis }}
- name: REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "flotilla.redisSecret" .root }}
      key: {{ .root.Values.redis.existingSecretKey }}
{{- end }}
{{- end -}}

{{/* Egress to PostgreSQL and Redis: the in-release StatefulSets, or the external CIDRs. */}}
{{- define "flotilla.dataEgress" -}}
{{- $root := .root -}}
{{- range $want := list (list .database 5432 "postgresql" $root.Values.postgresql.enabled) (list .redis 6379 "redis" $root.Values.redisServer.enabled) }}
{{- if index $want 0 }}
- to:
    {{- if index $want 3 }}
    - podSelector:
        matchLabels:
          app.kubernetes.io/name: {{ index $want 2 }}
          app.kubernetes.io/instance: {{ $root.Release.Name }}
    {{- else }}
    {{- range $root.Values.networkPolicy.databaseCIDRs }}
    - ipBlock: {cidr: {{ . | quote }}}
    {{- end }}
    {{- end }}
  ports: [{port: {{ index $want 1 }}, protocol: TCP}]
{{- end }}
{{- end }}
{{- end -}}

{{- define "flotilla.migrationContainer" -}}
- name: migrate-{{ .name }}
  image: {{ include "flotilla.image" (dict "root" .root "name" .name) }}
  imagePullPolicy: {{ .root.Values.image.pullPolicy }}
  command: ["/usr/local/bin/{{ .name }}", "migrate"]
  env:
    - {name: LOG_FORMAT, value: json}
    {{- include "flotilla.connectionEnv" (dict "root" .root "service" (index .root.Values.services .name) "name" .name) | nindent 4 }}
  resources:
    requests: {cpu: 50m, memory: 32Mi}
    limits: {cpu: "1", memory: 128Mi}
  securityContext:
    {{- include "flotilla.containerSecurityContext" .root | nindent 4 }}
{{- end -}}
