"""`python -m tweetbot_trainer.serve`, the same as the `tweetbot-serve` console script."""

import sys

from tweetbot_trainer.serve.cli import main

sys.exit(main())
