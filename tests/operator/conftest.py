"""The emulated cluster's fixtures (tests/support/k8s_fixtures.py), for every test below this folder."""

from tests.support.k8s_fixtures import (  # noqa: F401 - fixtures
    api,
    client,
    cluster,
    ctx,
    kubeconfig,
    operator,
    server_url,
)
