#!/usr/bin/env bash
# Re-creates the files that are copies of a single source (tests/deploy fails while they differ):
#   manifests/crd/tweetbot.io_tweetbots.yaml     -> charts/tweetbot-operator/files/crds/tweetbot.io_tweetbots.yaml
#   manifests/peering/kopf-peering-crds.yaml     -> charts/tweetbot-operator/files/crds/kopf.dev_peerings.yaml
#   gitops/argocd/health.lua                     -> gitops/argocd/argocd-cm.yaml (the Argo CD ConfigMap entry)
set -euo pipefail
cd "$(dirname "$0")/.."
cp manifests/crd/tweetbot.io_tweetbots.yaml charts/tweetbot-operator/files/crds/tweetbot.io_tweetbots.yaml
cp manifests/peering/kopf-peering-crds.yaml charts/tweetbot-operator/files/crds/kopf.dev_peerings.yaml
{
  cat <<'HEAD'
# Argo CD: the TweetBot health check (generated from health.lua by scripts/sync-copies.sh; edit health.lua).
# Merge it into Argo CD's own ConfigMap:
#   kubectl -n argocd patch configmap argocd-cm --type merge --patch-file gitops/argocd/argocd-cm.yaml
# (with the argo-cd Helm chart, put the same key under configs.cm).
apiVersion: v1
kind: ConfigMap
metadata:
  name: argocd-cm
  namespace: argocd
  labels:
    app.kubernetes.io/name: argocd-cm
    app.kubernetes.io/part-of: argocd
data:
  resource.customizations.health.tweetbot.io_TweetBot: |
HEAD
  sed -e 's/^\(.\)/    \1/' gitops/argocd/health.lua
} > gitops/argocd/argocd-cm.yaml
echo "synced: chart CRDs, Argo CD ConfigMap"
