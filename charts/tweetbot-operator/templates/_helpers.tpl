{{/* The release's base name, at most 63 characters (DNS label). */}}
{{- define "tweetbot.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "tweetbot.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "tweetbot.labels" -}}
{{ include "tweetbot.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: tweetbot
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "tweetbot.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "tweetbot.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* repository:tag or repository@digest; the tag defaults to the chart's appVersion. Call with an image dict and the root. */}}
{{- define "tweetbot.image" -}}
{{- $image := index . 0 -}}{{- $root := index . 1 -}}
{{- if $image.digest -}}
{{- printf "%s@%s" $image.repository $image.digest -}}
{{- else -}}
{{- printf "%s:%s" $image.repository (default $root.Chart.AppVersion $image.tag) -}}
{{- end -}}
{{- end -}}

{{/* The peering object's name. */}}
{{- define "tweetbot.peeringName" -}}
{{- default (include "tweetbot.fullname" .) .Values.peering.name -}}
{{- end -}}

{{/* The namespaced rules, shared by the ClusterRole and the per-namespace Roles: exactly the verbs used. */}}
{{- define "tweetbot.rules" -}}
# The TweetBots (kopf patches finalizers and its annotations) and their status.
- apiGroups: [tweetbot.io]
  resources: [tweetbots]
  verbs: [get, list, watch, patch]
- apiGroups: [tweetbot.io]
  resources: [tweetbots/status]
  verbs: [patch]
# Jobs' owner references block their TweetBot's deletion (blockOwnerDeletion), which the
# OwnerReferencesPermissionEnforcement admission plugin (on in OpenShift) allows only with this.
- apiGroups: [tweetbot.io]
  resources: [tweetbots/finalizers]
  verbs: [update]
# The training (and artifact clean-up) Jobs.
- apiGroups: [batch]
  resources: [jobs]
  verbs: [get, list, watch, create, delete, patch]
# Serving a trained bot (spec.serving): its Deployment and ClusterIP Service; multi-node training
# (resources.nodes > 1): the headless Service its pods rendezvous through (get, create).
- apiGroups: [apps]
  resources: [deployments]
  verbs: [get, list, watch, create, delete, patch]
- apiGroups: [""]
  resources: [services]
  verbs: [get, create, delete]
# spec.serving.runtime kserve: the KServe InferenceService instead (watched for its status.url and Ready).
- apiGroups: [serving.kserve.io]
  resources: [inferenceservices]
  verbs: [get, list, watch, create, delete, patch]
# Read-only: trainer pods' termination messages and the tail of their logs (live progress).
- apiGroups: [""]
  resources: [pods]
  verbs: [list]
- apiGroups: [""]
  resources: [pods/log]
  verbs: [get]
# Events on the TweetBots (create); the Job controller's FailedCreate events on the Jobs (list, watch).
- apiGroups: [""]
  resources: [events]
  verbs: [create, list, watch]
# Kueue: deactivating a queued Job's Workload is how it is suspended (Kueue restarts a Job suspended otherwise).
- apiGroups: [kueue.x-k8s.io]
  resources: [workloads]
  verbs: [list, patch]
{{- if .Values.tenancy.secretOptInLabel }}
# The opt-in label of the Secrets a TweetBot names (tenancy.secretOptInLabel). RBAC has no metadata-only verb:
# the operator asks for PartialObjectMetadata and never reads a Secret's data (docs/security.md).
- apiGroups: [""]
  resources: [secrets]
  verbs: [get]
{{- end }}
{{- end -}}

{{/* The release's cluster-scoped ClusterRole that owns the peering objects the operator creates (rbac.yaml). */}}
{{- define "tweetbot.peeringOwner" -}}
{{- include "tweetbot.fullname" . }}{{ if .Values.watchNamespaces }}-crds{{ end -}}
{{- end }}
