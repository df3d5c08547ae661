"""Serving a TweetBot's model: one module pair per runtime."""
