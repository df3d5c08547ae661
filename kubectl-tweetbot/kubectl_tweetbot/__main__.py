"""`python -m kubectl_tweetbot`, the same as the `kubectl-tweetbot` executable."""

import sys

from kubectl_tweetbot.cli import main

sys.exit(main())
